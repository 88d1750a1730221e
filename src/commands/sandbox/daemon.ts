// The sandbox daemon seen from the CLI: where it is, whether it runs, how to start and stop it.
// It is a separate program (dist/sandbox/main.js); the CLI only spawns it and reads its state file.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { readFile, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SandboxState } from '../../sandbox/state-file.js';

export type { SandboxState };

const STATE_FILE = 'state.json';
export const LOG_FILE = 'sandbox.log';
/** Everything the daemon writes into its state dir; `down` removes these and nothing else. */
const OWNED_ENTRIES = [STATE_FILE, LOG_FILE, 'kubeconfig', 'kube-sim', 'logs'];

export async function readState(stateDir: string): Promise<SandboxState | undefined> {
  try {
    return JSON.parse(await readFile(join(stateDir, STATE_FILE), 'utf8')) as SandboxState;
  } catch {
    return undefined;
  }
}

/** Alive and really our daemon: a pid reused by another program after a crash does not count. */
export function isDaemonAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('sandbox/main.js');
  } catch {
    return true;
  }
}

export interface DaemonLaunch {
  /** The built tree the daemon's entry is found in (the Factory's installation.distDir). */
  distDir: string;
  stateDir: string;
  args: string[];
  env: Readonly<Record<string, string | undefined>>;
}

export function spawnDaemon({ distDir, stateDir, args, env }: DaemonLaunch): { pid: number; exited: () => number | null | undefined } {
  const logFd = openSync(join(stateDir, LOG_FILE), 'a', 0o600);
  try {
    const child = spawn(process.execPath, [join(distDir, 'sandbox', 'main.js'), '--state-dir', stateDir, ...args], {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: env as NodeJS.ProcessEnv,
    });
    let code: number | null | undefined;
    child.once('exit', (c, signal) => (code = c ?? (signal ? 128 : null)));
    child.unref();
    return { pid: child.pid!, exited: () => code };
  } finally {
    closeSync(logFd);
  }
}

export function logTail(stateDir: string, lines = 15): string {
  try {
    return readFileSync(join(stateDir, LOG_FILE), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export async function removeState(stateDir: string): Promise<void> {
  await Promise.all(OWNED_ENTRIES.map((entry) => rm(join(stateDir, entry), { recursive: true, force: true })));
  await rmdir(stateDir).catch(() => undefined); // kept when someone else's files are in it
}
