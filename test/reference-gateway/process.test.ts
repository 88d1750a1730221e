// The built gateway as a real process (bin/conduit-gateway → dist/reference-gateway/main.js).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnGateway, type ListeningInstance, type SpawnedGateway } from '../support/gateway-process.js';
import { json, post, request } from './support.js';
import { until } from '../support/until.js';
import { RecordingClient, upgradeStatus } from '../support/ws-clients.js';

const processes: SpawnedGateway[] = [];
const clients: RecordingClient[] = [];
let scratch: string;

/** The launcher as an operator runs it: bin/conduit-gateway with only PATH and `env`. */
function startProcess(args: string[], env: Record<string, string> = {}): SpawnedGateway {
  const gateway = spawnGateway(args, { launcher: true, env });
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
    const { address, port, adminPort } = instance as ListeningInstance;
    expect(port).toBeGreaterThan(0);
    expect(adminPort).toBeGreaterThan(0);

    const url = `ws://${address}:${port}/v1/subscribe`;
    const leaver = await connect(url);
    const stayer = await connect(url);
    await stayer.waitForMessage((m) => m.type === 'tick' && m.seq === 2);
    expect(json(await request(`http://${address}:${adminPort}/health`))).toEqual({ status: 'ok', instance: 'conduit-2', connections: 2 });

    gateway.child.kill('SIGTERM');
    await until(() => gateway.stderr.includes('SIGTERM'), 'the drain to start', 10_000, 10);
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
    await until(() => gateway.stderr.includes('SIGTERM'), 'the drain to start', 10_000, 10);
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
