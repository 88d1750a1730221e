// The built gateway as a real process (bin/conduit-gateway → dist/reference-gateway/main.js).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json, post, RecordingClient, request, upgradeStatus, waitUntil } from './support.js';

const root = join(import.meta.dirname, '..', '..');
const launcher = join(root, 'bin', 'conduit-gateway');
const entry = join(root, 'dist', 'reference-gateway', 'main.js');

/** Builds dist/ when it is missing or older than the gateway's sources (tsc emits despite others' type errors). */
function ensureBuilt(): void {
  const sources = join(root, 'src', 'reference-gateway');
  const newestSource = Math.max(...readdirSync(sources).map((file) => statSync(join(sources, file)).mtimeMs));
  const built = (() => {
    try {
      return statSync(entry).mtimeMs;
    } catch {
      return 0;
    }
  })();
  if (built >= newestSource) return;
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'ignore' });
  } catch {
    // Type errors elsewhere in the tree do not stop tsc from emitting; the check below decides.
  }
  if (statSync(entry).mtimeMs < newestSource) throw new Error('dist/reference-gateway is stale; run npx tsc -p tsconfig.json');
}

interface Listening {
  event: 'listening';
  instances: Array<{ name: string; address: string; port: number; adminPort: number }>;
}

class GatewayProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  async listening(): Promise<Listening> {
    await waitUntil(() => this.stdout.includes('\n') || this.child.exitCode !== null, 20_000, 'the listening line');
    const line = this.stdout.split('\n')[0] as string;
    return JSON.parse(line) as Listening;
  }
}

const processes: GatewayProcess[] = [];
const clients: RecordingClient[] = [];
let scratch: string;

function startProcess(args: string[], env: Record<string, string> = {}): GatewayProcess {
  const child = spawn(process.execPath, [launcher, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const gateway = new GatewayProcess(child);
  processes.push(gateway);
  return gateway;
}

async function connect(url: string): Promise<RecordingClient> {
  const client = await RecordingClient.open(url);
  clients.push(client);
  await client.waitForMessage((m) => m.type === 'hello');
  return client;
}

beforeAll(() => {
  ensureBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'conduit-gateway-test-'));
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const gateway of processes.splice(0)) {
    if (gateway.child.exitCode === null && gateway.child.signalCode === null) gateway.child.kill('SIGKILL');
    await gateway.exited;
  }
});

describe('conduit-gateway process', () => {
  it('prints usage for --help and exits 0', async () => {
    const gateway = startProcess(['--help']);
    expect((await gateway.exited).code).toBe(0);
    expect(gateway.stdout).toContain('Usage: conduit-gateway');
  });

  it('exits 2 with a clear message on bad input, printing nothing on stdout', async () => {
    const gateway = startProcess(['--port', 'abc']);
    expect((await gateway.exited).code).toBe(2);
    expect(gateway.stderr).toContain('--port must be a non-negative integer, got "abc"');
    expect(gateway.stdout).toBe('');
  });

  it('announces itself, serves, and on SIGTERM drains: waits for clients, then shutting_down + 1001, exit 0', async () => {
    const gateway = startProcess(
      ['--port', '0', '--admin-port', '0', '--tick-ms', '50', '--shutdown-deadline-ms', '3000', '--close-timeout-ms', '500'],
      { POD_NAME: 'conduit-2', POD_IP: '127.0.24.1' },
    );
    const listening = await gateway.listening();
    expect(listening.event).toBe('listening');
    expect(listening.instances).toHaveLength(1);
    const [instance] = listening.instances;
    expect(instance).toMatchObject({ name: 'conduit-2', address: '127.0.24.1' });
    const { address, port, adminPort } = instance as Listening['instances'][number];
    expect(port).toBeGreaterThan(0);
    expect(adminPort).toBeGreaterThan(0);

    const url = `ws://${address}:${port}/v1/subscribe`;
    const leaver = await connect(url);
    const stayer = await connect(url);
    await stayer.waitForMessage((m) => m.type === 'tick' && m.seq === 2);
    expect(json(await request(`http://${address}:${adminPort}/health`))).toEqual({ status: 'ok', instance: 'conduit-2', connections: 2 });

    gateway.child.kill('SIGTERM');
    await waitUntil(() => gateway.stderr.includes('SIGTERM'), 10_000, 'the drain to start');
    const health = await request(`http://${address}:${port}/health`);
    expect(health.status).toBe(503);
    expect(json(health)).toMatchObject({ status: 'draining', instance: 'conduit-2' });
    expect(await upgradeStatus(url)).toBe(503);
    leaver.socket.close(1000, 'bye');

    const closed = await stayer.closed;
    expect(closed.code).toBe(1001);
    expect(stayer.parsed().at(-1)).toEqual({ type: 'status', status: 'shutting_down' });
    expect((await leaver.closed).code).toBe(1000);
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(gateway.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('hosts several instances on consecutive addresses, each with its own ports, and exits 0 on SIGINT', async () => {
    const gateway = startProcess(['--instances', '3', '--base-ip', '127.0.24.11', '--name-prefix', 'gw', '--port', '0', '--admin-port', '0']);
    const { instances } = await gateway.listening();
    expect(instances.map((i) => [i.name, i.address])).toEqual([
      ['gw-0', '127.0.24.11'],
      ['gw-1', '127.0.24.12'],
      ['gw-2', '127.0.24.13'],
    ]);
    for (const instance of instances) {
      const answer = await request(`http://${instance.address}:${instance.adminPort}/health`);
      expect(answer.headers['x-conduit-instance']).toBe(instance.name);
    }
    gateway.child.kill('SIGINT');
    expect((await gateway.exited).code).toBe(0);
  });

  it('requires the admin token from --admin-token-file, applies --fault flags, and never prints the token', async () => {
    const token = 'tok-9f8e7d6c5b4a';
    const tokenFile = join(scratch, 'admin-token');
    writeFileSync(tokenFile, `${token}\n`);
    const gateway = startProcess([
      '--bind', '127.0.24.21', '--port', '0', '--admin-port', '0',
      '--admin-token-file', tokenFile, '--enable-faults', '--fault', 'health=500',
    ]);
    const [instance] = (await gateway.listening()).instances;
    const admin = `http://${instance?.address}:${instance?.adminPort}`;
    expect((await post(`${admin}/admin/drain`)).status).toBe(401);
    expect((await post(`${admin}/admin/drain`, undefined, { 'X-Conduit-Admin-Token': token })).status).toBe(202);
    expect((await request(`${admin}/health`)).status).toBe(500);
    gateway.child.kill('SIGTERM');
    expect((await gateway.exited).code).toBe(0);
    expect(gateway.stdout + gateway.stderr).not.toContain(token);
  });

  it('exits at once on a second signal while draining', async () => {
    const gateway = startProcess(['--bind', '127.0.24.31', '--port', '0', '--admin-port', '0', '--shutdown-deadline-ms', '600000']);
    const [instance] = (await gateway.listening()).instances;
    await connect(`ws://${instance?.address}:${instance?.port}/v1/subscribe`);
    gateway.child.kill('SIGTERM');
    await waitUntil(() => gateway.stderr.includes('SIGTERM'), 10_000, 'the drain to start');
    gateway.child.kill('SIGTERM');
    expect((await gateway.exited).code).toBe(143);
  });

  it('exits 1 naming the problem when it cannot listen', async () => {
    const first = startProcess(['--bind', '127.0.24.41', '--port', '0', '--admin-port', '0']);
    const [instance] = (await first.listening()).instances;
    const second = startProcess(['--bind', '127.0.24.41', '--port', String(instance?.port), '--admin-port', '0']);
    expect((await second.exited).code).toBe(1);
    expect(second.stderr).toContain('EADDRINUSE');
    expect(second.stdout).toBe('');
  });
});
