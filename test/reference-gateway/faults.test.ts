import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type GatewayHandle, type GatewayOptions } from '../../src/reference-gateway/index.js';
import { addressPool, json, post, request } from './support.js';
import { until } from '../support/until.js';
import { RecordingClient, upgradeStatus } from '../support/ws-clients.js';

const nextAddress = addressPool(22);
const running: GatewayHandle[] = [];
const clients: RecordingClient[] = [];

async function gateway(options: GatewayOptions = {}): Promise<GatewayHandle> {
  const handle = await startGateway({ bind: nextAddress(), port: 0, adminPort: 0, tickMs: 0, enableFaults: true, ...options });
  running.push(handle);
  return handle;
}

async function connectOne(handle: GatewayHandle): Promise<void> {
  const client = await RecordingClient.open(`ws://${handle.address}:${handle.port}/v1/subscribe`);
  clients.push(client);
}

const admin = (handle: GatewayHandle, path: string) => `http://${handle.address}:${handle.adminPort}${path}`;

async function setFault(handle: GatewayHandle, body: unknown): Promise<void> {
  const answer = await post(admin(handle, '/_faults'), body);
  expect(answer.status).toBe(200);
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(running.splice(0).map((handle) => handle.close()));
});

describe('fault switches', () => {
  it('do not exist without enableFaults', async () => {
    const handle = await gateway({ enableFaults: false });
    expect((await request(admin(handle, '/_faults'))).status).toBe(404);
    expect((await post(admin(handle, '/_faults'), { health: '500' })).status).toBe(404);
    expect((await request(admin(handle, '/health'))).status).toBe(200);
  });

  it('GET /_faults shows the current set, POST changes only the keys given, null clears', async () => {
    const handle = await gateway();
    expect(json(await request(admin(handle, '/_faults')))).toEqual({ health: null, metrics: null, prometheus: null, drain: null, ticks: null });
    await setFault(handle, { health: 'slow:10', metrics: { active: -1 } });
    await setFault(handle, { drain: 'ignore' });
    expect(json(await request(admin(handle, '/_faults')))).toEqual({
      health: 'slow:10',
      metrics: { active: -1 },
      prometheus: null,
      drain: 'ignore',
      ticks: null,
    });
    await setFault(handle, { health: null, metrics: null, drain: null });
    expect(json(await request(admin(handle, '/_faults')))).toEqual({ health: null, metrics: null, prometheus: null, drain: null, ticks: null });
  });

  it.each([
    { nope: 1 },
    { health: 'garbage' },
    { health: 'slow:' },
    { metrics: 'explode' },
    { metrics: { active: 1, extra: 2 } },
    { metrics: { omitActive: false } },
    { drain: 'yes' },
    ['health'],
  ])('rejects the invalid fault body %j with 400', async (body) => {
    const handle = await gateway();
    const answer = await post(admin(handle, '/_faults'), body);
    expect(answer.status).toBe(400);
    expect(json(await request(admin(handle, '/_faults')))).toEqual({ health: null, metrics: null, prometheus: null, drain: null, ticks: null });
  });

  it('start with the faults given in the options', async () => {
    const handle = await gateway({ faults: { health: '500', prometheus: 'garbage' } });
    expect((await request(admin(handle, '/health'))).status).toBe(500);
    expect(json(await request(admin(handle, '/_faults')))).toMatchObject({ health: '500', prometheus: 'garbage' });
  });

  for (const [key, path] of [
    ['health', '/health'],
    ['metrics', '/v1/metrics'],
    ['prometheus', '/metrics'],
  ] as const) {
    describe(`${key} (${path})`, () => {
      it('"hang" never answers', async () => {
        const handle = await gateway();
        await setFault(handle, { [key]: 'hang' });
        await expect(request(admin(handle, path), { timeoutMs: 300 })).rejects.toThrow('request timed out');
      });

      it('"slow:MS" answers normally after the delay', async () => {
        const handle = await gateway();
        await setFault(handle, { [key]: 'slow:150' });
        const started = Date.now();
        const answer = await request(admin(handle, path));
        expect(answer.status).toBe(200);
        expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      });

      it('"500" answers 500', async () => {
        const handle = await gateway();
        await setFault(handle, { [key]: '500' });
        expect((await request(admin(handle, path))).status).toBe(500);
      });

      it('"reset" resets the connection', async () => {
        const handle = await gateway();
        await setFault(handle, { [key]: 'reset' });
        await expect(request(admin(handle, path))).rejects.toThrow(/ECONNRESET|socket hang up/);
      });
    });
  }

  it('health faults apply to the public port too', async () => {
    const handle = await gateway();
    await setFault(handle, { health: '500' });
    expect((await request(`http://${handle.address}:${handle.port}/health`)).status).toBe(500);
  });

  describe('metrics bodies', () => {
    it('"garbage" is not JSON', async () => {
      const handle = await gateway();
      await setFault(handle, { metrics: 'garbage' });
      const answer = await request(admin(handle, '/v1/metrics'));
      expect(answer.status).toBe(200);
      expect(() => JSON.parse(answer.body)).toThrow();
    });

    it.each(['0', -1, 1.5, null, 1e300, true, { n: 1 }])('{"active": %j} is served verbatim as the active count', async (value) => {
      const handle = await gateway();
      await connectOne(handle);
      await setFault(handle, { metrics: { active: value } });
      const body = json(await request(admin(handle, '/v1/metrics')));
      expect(body).toEqual({ instance: handle.name, bootId: expect.any(String), draining: false, ws: { connections: { active: value, total: 1, migrated: 0 } } });
    });

    it('{"omitActive": true} leaves the field out', async () => {
      const handle = await gateway();
      await setFault(handle, { metrics: { omitActive: true } });
      const body = json(await request(admin(handle, '/v1/metrics')));
      expect(body).toEqual({ instance: handle.name, bootId: expect.any(String), draining: false, ws: { connections: { total: 0, migrated: 0 } } });
    });
  });

  describe('prometheus bodies', () => {
    const activeLine = (body: string) => body.split('\n').find((line) => line.startsWith('conduit_ws_connections_active'));

    it('"garbage" is not valid exposition text', async () => {
      const handle = await gateway();
      await setFault(handle, { prometheus: 'garbage' });
      const answer = await request(admin(handle, '/metrics'));
      expect(answer.status).toBe(200);
      expect(answer.body).not.toMatch(/^conduit_ws_connections_active \d+$/m);
    });

    it.each([
      ['0', 'conduit_ws_connections_active "0"'],
      [-1, 'conduit_ws_connections_active -1'],
      [1.5, 'conduit_ws_connections_active 1.5'],
      [null, 'conduit_ws_connections_active null'],
      [1e300, 'conduit_ws_connections_active 1e+300'],
    ])('{"active": %j} is written as %s', async (value, line) => {
      const handle = await gateway();
      await setFault(handle, { prometheus: { active: value } });
      expect(activeLine((await request(admin(handle, '/metrics'))).body)).toBe(line);
    });

    it('{"omitActive": true} leaves the sample and its HELP/TYPE out', async () => {
      const handle = await gateway();
      await setFault(handle, { prometheus: { omitActive: true } });
      const body = (await request(admin(handle, '/metrics'))).body;
      expect(body).not.toContain('conduit_ws_connections_active');
      expect(body).toContain('conduit_ws_connections_total 0');
    });

    it('leaves the JSON metrics alone', async () => {
      const handle = await gateway();
      await setFault(handle, { prometheus: '500' });
      expect((await request(admin(handle, '/v1/metrics'))).status).toBe(200);
    });
  });

  it('drain "ignore" answers 202 but never drains', async () => {
    const handle = await gateway();
    await setFault(handle, { drain: 'ignore' });
    const answer = await post(admin(handle, '/admin/drain'));
    expect(answer.status).toBe(202);
    expect(json(answer)).toEqual({ status: 'draining', active: 0 });
    expect(json(await request(admin(handle, '/health')))).toMatchObject({ status: 'ok' });
    expect(json(await request(admin(handle, '/v1/metrics')))).toMatchObject({ draining: false });
    expect(await upgradeStatus(`ws://${handle.address}:${handle.port}/v1/subscribe`)).toBe(101);
  });

  it('can be set in-process with setFaults, only when enabled', async () => {
    const handle = await gateway();
    handle.setFaults({ health: '500' });
    expect((await request(admin(handle, '/health'))).status).toBe(500);
    const plain = await gateway({ enableFaults: false });
    expect(() => plain.setFaults({ health: '500' })).toThrow(/faults are disabled/);
  });

  it('are per instance', async () => {
    const broken = await gateway();
    const healthy = await gateway();
    await setFault(broken, { health: '500' });
    expect((await request(admin(broken, '/health'))).status).toBe(500);
    expect((await request(admin(healthy, '/health'))).status).toBe(200);
  });

  it('ticks "skip" skips one sequence number per tick while set; null restores the count', async () => {
    const handle = await gateway({ tickMs: 30 });
    const client = await RecordingClient.open(`ws://${handle.address}:${handle.port}/v1/subscribe`);
    clients.push(client);
    const seqs = () => client.messages.map((m) => JSON.parse(m) as { type: string; seq?: number }).filter((m) => m.type === 'tick').map((m) => m.seq!);
    await until(() => seqs().length >= 2, 'two ticks', 10_000, 10);
    await setFault(handle, { ticks: 'skip' });
    const skippedFrom = seqs().length;
    await until(() => seqs().length >= skippedFrom + 2, 'two ticks while skipping', 10_000, 10);
    await setFault(handle, { ticks: null });
    const restoredFrom = seqs().length + 1;
    await until(() => seqs().length >= restoredFrom + 3, 'three ticks after the restore', 10_000, 10);
    const all = seqs();
    const steps = all.slice(1).map((seq, i) => seq - all[i]!);
    expect(steps.slice(0, 1)).toEqual([1]);
    expect(steps.filter((step) => step === 2).length).toBeGreaterThanOrEqual(2);
    expect(steps.slice(-2)).toEqual([1, 1]);
    expect(steps.every((step) => step === 1 || step === 2)).toBe(true);
    expect((await post(admin(handle, '/_faults'), { ticks: 'drop' })).status).toBe(400);
  });
});
