// `conduitctl wscat` as a person uses it: at a terminal (a real pseudo-terminal through tmux) and
// with piped stdin, against real reference gateway processes on 127.41.1.0/24.
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { CLI_PATH, runCli, type CliResult } from '../support/run-cli.js';
import { startInTerminal, type TerminalSession } from '../support/tmux.js';

interface OpenWscat {
  write(line: string): void;
  end(): void;
  stdout(): string;
  stderr(): string;
  waitFor(predicate: (stderr: string, stdout: string) => boolean, timeoutMs?: number): Promise<void>;
  result: Promise<CliResult>;
}

/** wscat with stdin left open (runCli ends it at once), so a test decides when input ends. */
function openWscat(args: string[]): OpenWscat {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const child = spawn(process.execPath, [CLI_PATH, 'wscat', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const result = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return {
    write: (line) => child.stdin.write(`${line}\n`),
    end: () => child.stdin.end(),
    stdout: () => stdout,
    stderr: () => stderr,
    async waitFor(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(stderr, stdout)) {
        if (child.exitCode !== null) throw new Error(`wscat exited early:\n${stderr}`);
        if (Date.now() > deadline) throw new Error(`timed out; stderr so far:\n${stderr}\nstdout:\n${stdout}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    result,
  };
}

async function post(url: string, body?: unknown): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  expect(response.ok).toBe(true);
  return response.json();
}

const migrateAll = (from: GatewayProcess, to: GatewayProcess) =>
  post(`${from.adminUrl()}/admin/migrate`, { count: 1000, targets: [to.wsUrl()], reconnectAfterMs: 200 });

describe('wscat against real gateways', () => {
  let a: GatewayProcess;
  let b: GatewayProcess;

  beforeAll(async () => {
    [a, b] = await Promise.all([
      startGatewayProcess(['--bind', '127.41.1.1', '--name', 'conduit-a', '--tick-ms', '0']),
      startGatewayProcess(['--bind', '127.41.1.2', '--name', 'conduit-b', '--tick-ms', '0']),
    ]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  describe('with piped stdin', () => {
    it('sends each line as one message and prints the echoes as plain lines, then closes with 1000 (exit 0)', async () => {
      const result = await runCli(['wscat', a.wsUrl()], { input: 'hello\n{"op":"sub","topic":"a b"}\n//slash\n' });
      expect(result.code).toBe(0);
      const lines = result.stdout.trim().split('\n');
      expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'hello', instance: 'conduit-a' });
      expect(lines.slice(1)).toEqual(['hello', '{"op":"sub","topic":"a b"}', '/slash']);
      expect(result.stderr).toContain(`connected to ${a.wsUrl()} (instance conduit-a)`);
      expect(result.stderr).toContain('disconnected: code 1000 (normal closure), reason "" — you closed it');
    });

    it('/close with a code and a reason: both are shown, exit 0', async () => {
      const result = await runCli(['wscat', a.wsUrl()], { input: 'one\n/close 4000 all done\nnever sent\n' });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('disconnected: code 4000 (application), reason "all done" — you closed it');
      expect(result.stdout).toContain('one');
      expect(result.stdout).not.toContain('never sent');
    });

    it('/ping prints the round trip', async () => {
      const result = await runCli(['wscat', a.wsUrl(), '-w', '500ms'], { input: '/ping\n' });
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/pong: round trip \d+(\.\d+)?ms/);
    });

    it('a server close shows its code and reason and the notice before it; a planned close exits 0', async () => {
      const session = openWscat([a.wsUrl()]);
      await session.waitFor((err) => err.includes('connected to'));
      await migrateAll(a, b);
      const result = await session.result;
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`notice: migrating to ${b.wsUrl()}, reconnect after 200ms`);
      expect(result.stderr).toContain('disconnected: code 1012 (service restart), reason "migrating" — closed by the server after a migrating notice');
    });

    it('--auto-reconnect follows the migrating notice to its new endpoint and keeps sending there', async () => {
      const session = openWscat([a.wsUrl(), '--auto-reconnect']);
      await session.waitFor((err) => err.includes('(instance conduit-a)'));
      session.write('before');
      await session.waitFor((_err, out) => out.includes('before'));
      await migrateAll(a, b);
      await session.waitFor((err) => err.includes(`connected to ${b.wsUrl()} (instance conduit-b)`));
      session.write('after');
      await session.waitFor((_err, out) => out.includes('after'));
      session.end();
      const result = await session.result;
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`reconnecting to ${b.wsUrl()} in 200ms (as the migrating notice asked)`);
      const hellos = result.stdout.split('\n').filter((l) => l.startsWith('{"type":"hello"')).map((l) => JSON.parse(l).instance);
      expect(hellos).toEqual(['conduit-a', 'conduit-b']);
      expect(result.stdout.split('\n')).toEqual(expect.arrayContaining(['before', 'after']));
    });

    it('lines piped while the connection moves are sent after it reconnects, not lost', async () => {
      const session = openWscat([a.wsUrl(), '--auto-reconnect']);
      await session.waitFor((err) => err.includes('(instance conduit-a)'));
      await migrateAll(a, b);
      await session.waitFor((err) => err.includes('reconnecting to'));
      session.write('while-moving');
      session.end();
      const result = await session.result;
      expect(result.code).toBe(0);
      expect(result.stdout.split('\n')).toContain('while-moving');
    });

    it('-x sends each message, waits -w, closes with 1000 and exits 0', async () => {
      const result = await runCli(['wscat', a.wsUrl(), '-x', 'first', '-x', 'second', '-w', '300ms']);
      expect(result.code).toBe(0);
      expect(result.stdout.split('\n').slice(1, 3)).toEqual(['first', 'second']);
      expect(result.stderr).toContain('code 1000');
    });

    it('a gateway shutting down (SIGTERM) closes with 1001 after its notice: shown, exit 0', async () => {
      const gateway = await startGatewayProcess(['--bind', '127.41.1.3', '--name', 'conduit-c', '--tick-ms', '0', '--shutdown-deadline-ms', '200']);
      try {
        const session = openWscat([gateway.wsUrl()]);
        await session.waitFor((err) => err.includes('connected to'));
        gateway.child.kill('SIGTERM');
        const result = await session.result;
        expect(result.code).toBe(0);
        expect(result.stderr).toContain('notice: shutting_down (the gateway is going away)');
        expect(result.stderr).toContain('disconnected: code 1001 (going away), reason "shutting down" — closed by the server after a shutting_down notice');
      } finally {
        await gateway.stop();
      }
    });

    it('a killed gateway (no close frame) is an abnormal close: 1006 shown, exit 1', async () => {
      const gateway = await startGatewayProcess(['--bind', '127.41.1.4', '--name', 'conduit-d', '--tick-ms', '0']);
      try {
        const session = openWscat([gateway.wsUrl()]);
        await session.waitFor((err) => err.includes('connected to'));
        await gateway.stop();
        const result = await session.result;
        expect(result.code).toBe(1);
        expect(result.stderr).toContain('disconnected: code 1006 (abnormal closure: no close frame), reason "" — the connection was cut');
        expect(result.stderr).toContain('error: the connection closed abnormally');
      } finally {
        await gateway.stop();
      }
    });

    it('an unreachable URL exits 1 and says why', async () => {
      const result = await runCli(['wscat', 'ws://127.41.1.99:9/v1/subscribe', '-x', 'hi']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('cannot connect to ws://127.41.1.99:9/v1/subscribe: connection refused (ECONNREFUSED)');
    });

    it('an upgrade refused with an HTTP status exits 1 and shows the status and body', async () => {
      await post(`${b.adminUrl()}/admin/drain`);
      try {
        const result = await runCli(['wscat', b.wsUrl(), '-x', 'hi']);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain('the upgrade was answered with HTTP 503 {"error":"draining"}');
      } finally {
        await post(`${b.adminUrl()}/admin/undrain`);
      }
    });

    it('an opening handshake that never completes exits 4 after --connect-timeout', async () => {
      const held: Socket[] = [];
      const silent: Server = createServer((socket) => held.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.41.1.9', resolve));
      try {
        const { port } = silent.address() as { port: number };
        const result = await runCli(['wscat', `ws://127.41.1.9:${port}/`, '--connect-timeout', '300ms', '-x', 'hi']);
        expect(result.code).toBe(4);
        expect(result.stderr).toContain('error: no connection: the opening handshake timed out');
      } finally {
        held.forEach((s) => s.destroy());
        await new Promise((resolve) => silent.close(resolve));
      }
    });

    it('never prints the URL password, a credential query value or credential header values, even with -v', async () => {
      const url = new URL(a.wsUrl());
      url.username = 'alice';
      url.password = 'url-password-1';
      url.searchParams.set('access_token', 'query-secret-2');
      const args = ['wscat', url.href, '-v', '-H', 'Authorization: Bearer header-secret-3', '-H', 'Cookie: sid=cookie-secret-4', '-H', 'X-Trace: visible-5', '-x', 'hi', '-w', '100ms'];
      const ok = await runCli(args);
      const refused = await runCli(args.map((arg) => arg.replace(`:${url.port}/`, ':9/').replace(a.instances[0]!.address, '127.41.1.98')));
      for (const result of [ok, refused]) {
        const output = result.stdout + result.stderr;
        for (const secret of ['url-password-1', 'query-secret-2', 'header-secret-3', 'cookie-secret-4']) expect(output).not.toContain(secret);
      }
      expect(ok.code).toBe(0);
      expect(ok.stderr).toContain('header X-Trace: visible-5');
      expect(ok.stderr).toContain('header Authorization: ***');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('alice:***@127.41.1.98');
    });

    it('bad input exits 2 before connecting', async () => {
      for (const args of [
        ['ftp://127.41.1.1/'],
        [a.wsUrl(), '-H', 'no colon'],
        [a.wsUrl(), '-H', 'Sec-WebSocket-Protocol: x'],
        [a.wsUrl(), '-x', 'hi', '--auto-reconnect'],
        [a.wsUrl(), '-w', '2'],
        [a.wsUrl(), '--connect-timeout', '0s'],
        [a.wsUrl(), '--max-reconnects', '-1'],
        [a.wsUrl(), '--ca-file', '/nonexistent/ca.pem'],
        [a.wsUrl(), '-s', 'two words'],
      ]) {
        const result = await runCli(['wscat', ...args]);
        expect(result.code, args.join(' ')).toBe(2);
        expect(result.stderr, args.join(' ')).toMatch(/error/);
        expect(result.stderr).not.toContain('connected to');
      }
    });
  });

  describe('at a terminal', () => {
    let terminal: TerminalSession | undefined;
    const open = async (args: string[], env: Record<string, string | undefined> = { NO_COLOR: undefined }) => {
      terminal = await startInTerminal([process.execPath, CLI_PATH, 'wscat', ...args], { FORCE_COLOR: undefined, ...env });
      return terminal;
    };

    afterAll(async () => {
      await terminal?.stop();
    });

    it('echoes a typed line in colour, /ping shows the round trip, /close shows the code and reason, exit 0', async () => {
      const tty = await open([a.wsUrl()]);
      try {
        await tty.waitForScreen((s) => s.includes('connected to') && s.includes('Ctrl-C to quit'));
        await tty.keys('hello tty', 'Enter');
        await tty.waitForScreen((s) => s.includes('< hello tty'));
        await tty.keys('/ping', 'Enter');
        await tty.waitForScreen((s) => /pong: round trip \d/.test(s));
        await tty.keys('/nope', 'Enter');
        await tty.waitForScreen((s) => s.includes('unknown command /nope'));
        const coloured = await tty.screen(true);
        expect(coloured).toContain('\u001b[34m< hello tty');
        expect(coloured).toContain('\u001b[32mconnected to');
        await tty.keys('/close 4001 bye now', 'Enter');
        expect(await tty.exitCode()).toBe(0);
        expect(await tty.screen()).toContain('disconnected: code 4001 (application), reason "bye now" — you closed it');
      } finally {
        await tty.stop();
      }
    });

    it('Ctrl-C closes cleanly with 1000 and exits 0; NO_COLOR means no colour', async () => {
      const tty = await open([a.wsUrl()], { NO_COLOR: '1' });
      try {
        await tty.waitForScreen((s) => s.includes('connected to'));
        await tty.keys('x', 'Enter');
        await tty.waitForScreen((s) => s.includes('< x'));
        await tty.keys('C-c');
        expect(await tty.exitCode()).toBe(0);
        const screen = await tty.screen(true);
        expect(screen).toContain('disconnected: code 1000 (normal closure), reason "" — you closed it');
        expect(screen).not.toMatch(/\u001b\[3\dm/);
      } finally {
        await tty.stop();
      }
    });

    it('--auto-reconnect follows a migrating notice; typing goes on on the new gateway', async () => {
      const tty = await open([a.wsUrl(), '--auto-reconnect']);
      try {
        await tty.waitForScreen((s) => s.includes('(instance conduit-a)'));
        await migrateAll(a, b);
        await tty.waitForScreen((s) => s.includes('(instance conduit-b)'));
        await tty.keys('moved', 'Enter');
        await tty.waitForScreen((s) => s.includes('< moved'));
        const screen = await tty.screen();
        expect(screen).toContain('disconnected: code 1012 (service restart), reason "migrating"');
        expect(screen).toContain(`reconnecting to ${b.wsUrl()} in 200ms`);
        await tty.keys('C-d');
        expect(await tty.exitCode()).toBe(0);
      } finally {
        await tty.stop();
      }
    });

    it('-x prints what it sent and what came back, exit 0; an unreachable URL exits 1', async () => {
      const sent = await open([a.wsUrl(), '-x', 'ping-me', '-w', '300ms']);
      try {
        expect(await sent.exitCode()).toBe(0);
        const screen = await sent.screen();
        expect(screen).toContain('> ping-me');
        expect(screen).toContain('< ping-me');
      } finally {
        await sent.stop();
      }
      const unreachable = await open(['ws://127.41.1.99:9/v1/subscribe']);
      try {
        expect(await unreachable.exitCode()).toBe(1);
        expect(await unreachable.screen()).toContain('cannot connect to ws://127.41.1.99:9/v1/subscribe');
      } finally {
        await unreachable.stop();
      }
    });
  });
});
