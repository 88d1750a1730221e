// `conduitctl completion SHELL` prints exactly the committed completions/ files (from the installed
// package, wherever it runs from); the hidden
// `__complete` stays hidden, quiet on failure, and loads the Kubernetes client only for live names.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRIPT_FILES } from '../../src/cli/completion/scripts.js';
import { CLI_PATH, runCli } from '../support/run-cli.js';
import { COMPLETIONS_DIR } from '../support/shell-completion.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'conduit-completion-cmd-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('conduitctl completion', () => {
  it.each(Object.entries(SCRIPT_FILES))('completion %s prints completions/%s byte for byte', async (shell, file) => {
    const result = await runCli(['completion', shell]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(await readFile(join(COMPLETIONS_DIR, file), 'utf8'));
  });

  it('an unknown shell is a usage error naming the shells', async () => {
    const result = await runCli(['completion', 'tcsh']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bash.*zsh.*fish/);
    expect(result.stdout).toBe('');
  });

  it('__complete is not listed in the help', async () => {
    const result = await runCli(['--help']);
    expect(result.stdout).toContain('completion');
    expect(result.stdout).not.toContain('__complete');
  });
});

async function writeKubeconfig(name: string, server: string): Promise<string> {
  const path = join(dir, name);
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{name: c, cluster: {server: "${server}"}}]`,
    'users: [{name: u, user: {token: not-a-secret}}]',
    'contexts: [{name: x, context: {cluster: c, user: u, namespace: rtc}}]',
    'current-context: x',
  ];
  await writeFile(path, lines.join('\n') + '\n');
  return path;
}

describe('__complete fails quietly', () => {
  it('a missing kubeconfig: no candidates, nothing on stderr, exit 0', async () => {
    const result = await runCli(['__complete', 'drain', '--kubeconfig', join(dir, 'missing'), 'conduit-']);
    expect(result).toMatchObject({ code: 0, stdout: ':4\n', stderr: '' });
  });

  it('an API server that refuses connections: no candidates, nothing on stderr', async () => {
    const kubeconfig = await writeKubeconfig('refused.yaml', 'https://127.43.9.1:1');
    const result = await runCli(['__complete', 'status', '--kubeconfig', kubeconfig, '']);
    expect(result).toMatchObject({ code: 0, stdout: ':4\n', stderr: '' });
  });

  it('an API server that accepts and never answers: the lookup’s own deadline ends it, no candidates', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.43.9.2', resolve));
    try {
      const kubeconfig = await writeKubeconfig('silent.yaml', `https://127.43.9.2:${(silent.address() as { port: number }).port}`);
      // Without its own deadline the lookup would wait for the default 5 s --request-timeout per call;
      // runCli kills it after 20 s (code null).
      const result = await runCli(['__complete', 'drain', '--kubeconfig', kubeconfig, 'conduit-'], { timeoutMs: 20_000 });
      expect(result).toMatchObject({ code: 0, stdout: ':4\n', stderr: '' });
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('an unreadable --fleet file: no candidates, nothing on stderr', async () => {
    const result = await runCli(['__complete', 'drain', '--fleet', join(dir, 'missing.yaml'), '']);
    expect(result).toMatchObject({ code: 0, stdout: ':4\n', stderr: '' });
  });
});

describe('__complete stays light', () => {
  const hook = fileURLToPath(new URL('../support/client-node-load-hook.mjs', import.meta.url));
  const loadsClientNode = async (args: string[]) => {
    const log = join(dir, `loaded-${args.length}-${Date.now()}`);
    await writeFile(log, '');
    await promisify(execFile)(process.execPath, ['--import', hook, CLI_PATH, '__complete', ...args], {
      env: { ...process.env, CLIENT_NODE_LOG: log, KUBECONFIG: join(dir, 'missing') },
      timeout: 30_000,
    });
    return (await readFile(log, 'utf8')).length > 0;
  };

  it('commands, flags and flag values never load the Kubernetes client; a live name does', async () => {
    expect(await loadsClientNode(['st'])).toBe(false);
    expect(await loadsClientNode(['status', '--'])).toBe(false);
    expect(await loadsClientNode(['drain', '--then', ''])).toBe(false);
    // The positive case proves the hook sees the client when it is loaded.
    expect(await loadsClientNode(['drain', 'conduit-'])).toBe(true);
  });
});
