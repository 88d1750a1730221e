import { bashScript } from './bash.js';
import { fishScript } from './fish.js';
import { zshScript } from './zsh.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** The committed copies in completions/ are these files, written for `conduitctl`. */
export const SCRIPT_FILES: Record<Shell, string> = { bash: 'conduitctl.bash', zsh: '_conduitctl', fish: 'conduitctl.fish' };

export function completionScript(shell: Shell, name = 'conduitctl'): string {
  return { bash: bashScript, zsh: zshScript, fish: fishScript }[shell](name);
}
