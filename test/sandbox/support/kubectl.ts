// The real kubectl (v1.32) against a sandbox world, each caller with its own discovery cache.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Kubectl {
  run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  json<T = unknown>(...args: string[]): Promise<T>;
  dispose(): void;
}

export function kubectl(kubeconfigPath: string): Kubectl {
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubecache-'));
  const run = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        '/usr/bin/kubectl',
        ['--kubeconfig', kubeconfigPath, '--request-timeout=20s', ...args],
        { timeout: 90_000, env: { PATH: process.env.PATH, HOME: cacheDir, KUBECACHEDIR: cacheDir } },
        (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  return {
    run,
    async json(...args) {
      const result = await run(...args, '-o', 'json');
      if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
      return JSON.parse(result.stdout);
    },
    dispose: () => rmSync(cacheDir, { recursive: true, force: true }),
  };
}

/** Polls until check() returns a value other than undefined; fails after timeoutMs. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
