// Runs the committed completion scripts (completions/) in real bash, zsh and fish, the way each
// shell calls them on TAB, with bin/ (conduitctl, kubectl-conduit, kubectl_complete-conduit) on PATH.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const COMPLETIONS_DIR = join(ROOT, 'completions');
export const BIN_DIR = join(ROOT, 'bin');
const SHELLS_DIR = fileURLToPath(new URL('./shells/', import.meta.url));
const DEADLINE_MS = 30_000;

export type ShellName = 'bash' | 'zsh' | 'fish';

/** PATH with bin/ and this node first; no KUBECONFIG or HOME of the machine leaking in. */
export function completionEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: [BIN_DIR, dirname(process.execPath), process.env.PATH].join(delimiter) };
  delete env.KUBECONFIG;
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** The candidates the shell's completion offers for `line` (the cursor at its end). */
export async function completeIn(shell: ShellName, line: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const output = await { bash: inBash, zsh: inZsh, fish: inFish }[shell](line, env);
  return output.split('\n').filter(Boolean);
}

async function inBash(line: string, env: NodeJS.ProcessEnv): Promise<string> {
  // What bash sets before calling a `complete -F` function; the function reads COMP_LINE/COMP_POINT.
  const script = `source ${JSON.stringify(join(COMPLETIONS_DIR, 'conduitctl.bash'))}
COMP_LINE=$1; COMP_POINT=\${#COMP_LINE}
read -r -a COMP_WORDS <<< "$COMP_LINE"; COMP_CWORD=\${#COMP_WORDS[@]}
[[ $COMP_LINE == *' ' ]] || COMP_CWORD=$((COMP_CWORD - 1))
_conduitctl_complete
(( \${#COMPREPLY[@]} )) && printf '%s\\n' "\${COMPREPLY[@]}"
exit 0`;
  return (await run('bash', ['--norc', '--noprofile', '-c', script, 'bash', line], { env, timeout: DEADLINE_MS })).stdout;
}

async function inFish(line: string, env: NodeJS.ProcessEnv): Promise<string> {
  const script = `source ${JSON.stringify(join(COMPLETIONS_DIR, 'conduitctl.fish'))}; complete -C $argv[1]`;
  const { stdout } = await run('fish', ['--no-config', '-c', script, line], { env, timeout: DEADLINE_MS });
  return stdout.split('\n').map((entry) => entry.split('\t')[0]).join('\n');
}

async function inZsh(line: string, env: NodeJS.ProcessEnv): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'conduit-zsh-'));
  try {
    const zshEnv = {
      ...env,
      LINE: line,
      COMPLETIONS_DIR,
      CAPTURE_INIT: join(SHELLS_DIR, 'capture.zsh'),
      CAPTURE_FILE: join(dir, 'matches'),
      DEADLINE_TENTHS: String(DEADLINE_MS / 100),
      ZDOTDIR: dir,
    };
    return (await run('zsh', ['-f', join(SHELLS_DIR, 'zpty-driver.zsh')], { env: zshEnv, timeout: DEADLINE_MS + 5_000 })).stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
