// Runs a command in a real pseudo-terminal (a detached tmux session on its own server socket), so
// a test can type into it, read the screen and get its exit code, as a person at a terminal would.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TerminalSession {
  /** Type text (tmux key names such as Enter or C-c are separate arguments). */
  keys(...keys: string[]): Promise<void>;
  /** The screen as text; with `escapes`, colour sequences included. */
  screen(escapes?: boolean): Promise<string>;
  waitForScreen(predicate: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  /** The command's exit code, once it has exited. */
  exitCode(timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

export async function startInTerminal(argv: string[], env: Record<string, string | undefined> = {}): Promise<TerminalSession> {
  const dir = mkdtempSync(join(tmpdir(), 'conduit-tty-'));
  const socket = join(dir, 'tmux.sock');
  const exitFile = join(dir, 'exit');
  const unset = Object.entries(env).filter(([, v]) => v === undefined).map(([k]) => `-u ${k}`);
  const set = Object.entries(env).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${quote(v!)}`);
  const command = `env ${[...unset, ...set].join(' ')} ${argv.map(quote).join(' ')}; echo $? > ${quote(exitFile)}; sleep 600`;
  const tmux = (...args: string[]) => run('tmux', ['-S', socket, ...args]);
  await tmux('-f', '/dev/null', 'new-session', '-d', '-x', '160', '-y', '50', command);
  const session: TerminalSession = {
    async keys(...keys) {
      for (const key of keys) await tmux('send-keys', ...(/^(Enter|C-[a-z])$/.test(key) ? [key] : ['-l', key]));
    },
    async screen(escapes = false) {
      const { stdout } = await tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []));
      return stdout;
    },
    async waitForScreen(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = await session.screen();
        if (predicate(text)) return text;
        if (Date.now() > deadline) throw new Error(`timed out waiting for the screen; it shows:\n${text}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async exitCode(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          const text = readFileSync(exitFile, 'utf8').trim();
          if (text !== '') return Number(text);
        } catch {
          // not exited yet
        }
        if (Date.now() > deadline) throw new Error(`the command did not exit; the screen shows:\n${await session.screen()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      await tmux('kill-server').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return session;
}
