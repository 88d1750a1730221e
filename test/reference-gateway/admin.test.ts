import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type GatewayHandle, type GatewayOptions } from '../../src/reference-gateway/index.js';
import { addressPool, IgnoringClient, json, post, request } from './support.js';
import { until } from '../support/until.js';
import { RecordingClient, upgradeStatus } from '../support/ws-clients.js';

const nextAddress = addressPool(21);
const running: GatewayHandle[] = [];
const clients: RecordingClient[] = [];

async function gateway(options: GatewayOptions = {}): Promise<GatewayHandle> {
  const handle = await startGateway({ bind: nextAddress(), port: 0, adminPort: 0, tickMs: 0, ...options });
  running.push(handle);
  return handle;
}

async function connectMany(handle: GatewayHandle, count: number): Promise<RecordingClient[]> {
  const opened: RecordingClient[] = [];
  for (let i = 0; i < count; i += 1) {
    const client = await RecordingClient.open(`ws://${handle.address}:${handle.port}/v1/subscribe`);
    await client.waitForMessage((m) => m.type === 'hello');
    clients.push(client);
    opened.push(client);
  }
  return opened;
}

const admin = (handle: GatewayHandle, path: string) => `http://${handle.address}:${handle.adminPort}${path}`;
const publicUrl = (handle: GatewayHandle, path: string) => `http://${handle.address}:${handle.port}${path}`;

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(running.splice(0).map((handle) => handle.close()));
});

describe('GET /health', () => {
  it('answers ok → draining (503) → ok on both ports, with the instance header', async () => {
    const handle = await gateway({ name: 'conduit-3' });
    await connectMany(handle, 2);
    for (const url of [admin(handle, '/health'), publicUrl(handle, '/health')]) {
      const answer = await request(url);
      expect(answer.status).toBe(200);
      expect(answer.headers['x-conduit-instance']).toBe('conduit-3');
      expect(json(answer)).toEqual({ status: 'ok', instance: 'conduit-3', connections: 2 });
    }

    const drained = await post(admin(handle, '/admin/drain'));
    expect(drained.status).toBe(202);
    expect(json(drained)).toEqual({ status: 'draining', active: 2 });
    for (const url of [admin(handle, '/health'), publicUrl(handle, '/health')]) {
      const answer = await request(url);
      expect(answer.status).toBe(503);
      expect(answer.headers['x-conduit-instance']).toBe('conduit-3');
      expect(json(answer)).toEqual({ status: 'draining', instance: 'conduit-3', connections: 2 });
    }

    const undrained = await post(admin(handle, '/admin/undrain'));
    expect(undrained.status).toBe(200);
    expect(json(undrained)).toEqual({ status: 'ok', active: 2 });
    expect((await request(publicUrl(handle, '/health'))).status).toBe(200);
    expect(await upgradeStatus(`ws://${handle.address}:${handle.port}/v1/subscribe`)).toBe(101);
  });

  it('sets the instance header on errors too', async () => {
    const handle = await gateway({ name: 'gw-a' });
    const missing = await request(admin(handle, '/nothing-here'));
    expect(missing.status).toBe(404);
    expect(missing.headers['x-conduit-instance']).toBe('gw-a');
  });
});

describe('POST /admin/drain', () => {
  it('refuses new upgrades and is idempotent: a second drain changes nothing', async () => {
    const handle = await gateway();
    await connectMany(handle, 1);
    expect((await post(admin(handle, '/admin/drain'))).status).toBe(202);
    expect(await upgradeStatus(`ws://${handle.address}:${handle.port}/v1/subscribe`)).toBe(503);
    const before = json(await request(admin(handle, '/v1/metrics')));
    const again = await post(admin(handle, '/admin/drain'));
    expect(again.status).toBe(202);
    expect(json(again)).toEqual({ status: 'draining', active: 1 });
    expect(json(await request(admin(handle, '/v1/metrics')))).toEqual(before);
    expect(handle.activeConnections()).toBe(1);
  });

  it('answers 405 to a GET', async () => {
    const handle = await gateway();
    const answer = await request(admin(handle, '/admin/drain'));
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('POST');
  });
});

describe('metrics', () => {
  it('JSON and Prometheus report the connected clients, totals, migrations and draining', async () => {
    const handle = await gateway({ name: 'conduit-1' });
    const connected = await connectMany(handle, 3);
    connected[0]?.socket.close(1000);
    await until(() => handle.activeConnections() === 2, 'condition', 10_000, 10);
    await post(admin(handle, '/admin/migrate'), { count: 1, targets: ['ws://elsewhere/v1/subscribe'] });
    await until(() => handle.activeConnections() === 1, 'condition', 10_000, 10);
    await post(admin(handle, '/admin/drain'));

    const answer = await request(admin(handle, '/v1/metrics'));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(json(answer)).toEqual({
      instance: 'conduit-1',
      bootId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      draining: true,
      ws: { connections: { active: 1, total: 3, migrated: 1 } },
    });

    const text = await request(admin(handle, '/metrics'));
    expect(text.status).toBe(200);
    expect(text.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = Object.fromEntries(
      text.body
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('#'))
        .map((line) => line.split(' ') as [string, string]),
    );
    expect(samples).toEqual({
      conduit_ws_connections_active: '1',
      conduit_ws_connections_total: '3',
      conduit_ws_migrated_total: '1',
      conduit_draining: '1',
    });
    for (const [name, type] of [
      ['conduit_ws_connections_active', 'gauge'],
      ['conduit_ws_connections_total', 'counter'],
      ['conduit_ws_migrated_total', 'counter'],
      ['conduit_draining', 'gauge'],
    ]) {
      expect(text.body).toContain(`# TYPE ${name} ${type}\n`);
      expect(text.body).toMatch(new RegExp(`^# HELP ${name} .+$`, 'm'));
    }
  });

  it('metrics are not served on the public port', async () => {
    const handle = await gateway();
    expect((await request(publicUrl(handle, '/v1/metrics'))).status).toBe(404);
    expect((await request(publicUrl(handle, '/metrics'))).status).toBe(404);
  });
});

describe('admin authentication', () => {
  const token = 's3cret-token-value';

  it('answers 401 without a valid token, in either header style, and keeps health and metrics open', async () => {
    const handle = await gateway({ adminToken: token });
    const attempts: Array<Record<string, string>> = [{}, { Authorization: 'Bearer wrong' }, { 'X-Conduit-Admin-Token': 'wrong' }, { Authorization: token }];
    for (const headers of attempts) {
      const answer = await post(admin(handle, '/admin/drain'), undefined, headers);
      expect(answer.status).toBe(401);
      expect(json(answer)).toEqual({ error: 'unauthorized' });
      expect(answer.body).not.toContain(token);
    }
    expect(handle.isDraining()).toBe(false);
    expect((await request(admin(handle, '/health'))).status).toBe(200);
    expect((await request(admin(handle, '/v1/metrics'))).status).toBe(200);
    expect((await request(admin(handle, '/metrics'))).status).toBe(200);
  });

  it('accepts Authorization: Bearer and X-Conduit-Admin-Token', async () => {
    const handle = await gateway({ adminToken: token });
    expect((await post(admin(handle, '/admin/drain'), undefined, { Authorization: `Bearer ${token}` })).status).toBe(202);
    expect(handle.isDraining()).toBe(true);
    expect((await post(admin(handle, '/admin/undrain'), undefined, { 'X-Conduit-Admin-Token': token })).status).toBe(200);
    expect(handle.isDraining()).toBe(false);
    const migrate = await post(admin(handle, '/admin/migrate'), { count: 1, targets: ['ws://x'] }, { authorization: `bearer ${token}` });
    expect(json(migrate)).toEqual({ migrated: 0, remaining: 0 });
  });
});

describe('POST /admin/migrate', () => {
  it('sends each chosen client (oldest first) a migrating notice, round-robin over targets, then closes 1012', async () => {
    const handle = await gateway();
    const connected = await connectMany(handle, 5);
    const targets = ['ws://127.0.21.200:9088/v1/subscribe', 'ws://127.0.21.201:9088/v1/subscribe'];
    const answer = await post(admin(handle, '/admin/migrate'), { count: 3, targets, reconnectAfterMs: 500, jitterMs: 100 });
    expect(answer.status).toBe(200);
    expect(json(answer)).toEqual({ migrated: 3, remaining: 2 });

    const moved = connected.slice(0, 3);
    const closes = await Promise.all(moved.map((client) => client.closed));
    expect(closes.map((c) => c.code)).toEqual([1012, 1012, 1012]);
    for (const close of closes) expect(Buffer.byteLength(close.reason)).toBeLessThanOrEqual(123);
    const notices = moved.map((client) => client.parsed().at(-1) as { type: string; status: string; details: Record<string, unknown> });
    expect(notices.map((n) => [n.type, n.status])).toEqual(Array(3).fill(['status', 'migrating']));
    expect(notices.map((n) => n.details.new_endpoint)).toEqual([targets[0], targets[1], targets[0]]);
    for (const notice of notices) {
      const after = notice.details.reconnect_after as number;
      expect(after).toBeGreaterThanOrEqual(500);
      expect(after).toBeLessThanOrEqual(600);
    }
    await until(() => handle.activeConnections() === 2, 'condition', 10_000, 10);
    for (const client of connected.slice(3)) expect(client.parsed().some((m) => m.type === 'status')).toBe(false);
    expect(json(await request(admin(handle, '/v1/metrics')))).toMatchObject({ ws: { connections: { active: 2, total: 5, migrated: 3 } } });
  });

  it('migrates at most what is connected', async () => {
    const handle = await gateway();
    await connectMany(handle, 2);
    expect(json(await post(admin(handle, '/admin/migrate'), { count: 10, targets: ['ws://t'] }))).toEqual({ migrated: 2, remaining: 0 });
    await until(() => handle.activeConnections() === 0, 'condition', 10_000, 10);
  });

  it('answers the same result for a repeated batchId without moving anyone else', async () => {
    const handle = await gateway();
    await connectMany(handle, 4);
    const body = { count: 2, targets: ['ws://t'], batchId: 'batch-42' };
    const first = await post(admin(handle, '/admin/migrate'), body);
    expect(json(first)).toEqual({ migrated: 2, remaining: 2 });
    await until(() => handle.activeConnections() === 2, 'condition', 10_000, 10);
    const retry = await post(admin(handle, '/admin/migrate'), body);
    expect(json(retry)).toEqual({ migrated: 2, remaining: 2 });
    expect(handle.activeConnections()).toBe(2);
    expect(json(await request(admin(handle, '/v1/metrics')))).toMatchObject({ ws: { connections: { migrated: 2 } } });
    const next = await post(admin(handle, '/admin/migrate'), { ...body, batchId: 'batch-43' });
    expect(json(next)).toEqual({ migrated: 2, remaining: 0 });
  });

  it('bounds the close handshake: a client that ignores the 1012 close frame is terminated, skipped by the next batch, and the count reaches 0', async () => {
    const handle = await gateway({ closeTimeoutMs: 300 });
    const stubborn = [await IgnoringClient.open(handle.address, handle.port), await IgnoringClient.open(handle.address, handle.port)];
    try {
      const first = await post(admin(handle, '/admin/migrate'), { count: 1, targets: ['ws://t'], batchId: 'a' });
      expect(json(first)).toEqual({ migrated: 1, remaining: 1 });
      // The first is still in its close handshake: the next batch chooses the other one.
      expect(handle.activeConnections()).toBe(2);
      const second = await post(admin(handle, '/admin/migrate'), { count: 1, targets: ['ws://t'], batchId: 'b' });
      expect(json(second)).toEqual({ migrated: 1, remaining: 0 });
      // Well before ws's own 30 s close timer: the gateway's bound (300 ms here) is what ends them.
      await until(() => handle.activeConnections() === 0, 'the stubborn clients to be terminated', 10_000, 10);
      await Promise.all(stubborn.map((client) => client.ended));
      for (const client of stubborn) {
        expect(client.texts().map((t) => JSON.parse(t).status ?? JSON.parse(t).type)).toEqual(['hello', 'migrating']);
        expect(client.closeCode()).toBe(1012);
      }
      expect(json(await request(admin(handle, '/v1/metrics')))).toMatchObject({ ws: { connections: { active: 0, migrated: 2 } } });
    } finally {
      for (const client of stubborn) client.destroy();
    }
  });

  it.each([
    ['not JSON', '{count:'],
    ['no body', ''],
    ['an array', [1]],
    ['count 0', { count: 0, targets: ['ws://t'] }],
    ['count 1.5', { count: 1.5, targets: ['ws://t'] }],
    ['count "3"', { count: '3', targets: ['ws://t'] }],
    ['no targets', { count: 1 }],
    ['empty targets', { count: 1, targets: [] }],
    ['a non-string target', { count: 1, targets: [42] }],
    ['negative reconnectAfterMs', { count: 1, targets: ['ws://t'], reconnectAfterMs: -1 }],
    ['string jitterMs', { count: 1, targets: ['ws://t'], jitterMs: '5' }],
    ['an empty batchId', { count: 1, targets: ['ws://t'], batchId: '' }],
  ])('answers 400 with a message for %s, and moves nobody', async (_label, body) => {
    const handle = await gateway();
    await connectMany(handle, 1);
    const answer = await post(admin(handle, '/admin/migrate'), body);
    expect(answer.status).toBe(400);
    expect((json(answer) as { error: string }).error.length).toBeGreaterThan(0);
    expect(handle.activeConnections()).toBe(1);
  });
});

describe('undrain during shutdown', () => {
  it('is refused with 409: a shutdown cannot be cancelled', async () => {
    const handle = await gateway({ shutdownDeadlineMs: 60_000 });
    const [client] = await connectMany(handle, 1);
    const stopped = handle.shutdown();
    const answer = await post(admin(handle, '/admin/undrain'));
    expect(answer.status).toBe(409);
    expect(handle.isDraining()).toBe(true);
    client?.socket.close(1000);
    await stopped;
  });
});
