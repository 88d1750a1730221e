// The completion scripts are the files in completions/ (shipped with the package): `conduitctl
// completion SHELL` prints the installed copy, so there is one text of each script.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Installation } from '../factory.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export const SCRIPT_FILES: Record<Shell, string> = { bash: 'conduitctl.bash', zsh: '_conduitctl', fish: 'conduitctl.fish' };

export function completionScript(shell: Shell, installation: Installation): Promise<string> {
  return readFile(join(installation.distDir, '..', 'completions', SCRIPT_FILES[shell]), 'utf8');
}
