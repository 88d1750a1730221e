// The environment variables that decide colour and progress, read the way their conventions say:
// NO_COLOR disables colour only when non-empty (no-color.org); FORCE_COLOR=0 or false disables
// it, any other non-empty value forces it (chalk's and force-color.org's reading).
import type { Terminal } from './iostreams.js';

export function terminalEnv(env: Readonly<Record<string, string | undefined>>): Terminal['env'] {
  const force = env.FORCE_COLOR;
  const forceOff = force === '0' || force === 'false';
  return {
    noColor: !!env.NO_COLOR || forceOff,
    forceColor: !!force && !forceOff,
    ci: 'CI' in env,
    dumb: env.TERM === 'dumb',
  };
}
