import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayAdmin } from '../../src/gateway/index.js';
import type { GatewayAdmin, Instance } from '../../src/ops/ports/index.js';
import { FakeAdminServer, reply } from './fake-admin-server.js';

describe('health()', () => {
  let server: FakeAdminServer;
  let admin: GatewayAdmin;
  let instance: Instance;

  beforeAll(async () => {
    server = await FakeAdminServer.start('127.0.4.10', reply(200, '{}'));
    instance = { name: 'conduit-0', adminUrl: server.url };
  });
  afterEach(async () => admin?.close());
  afterAll(async () => server.stop());

  it('200 with status ok is ok, with the instance it reports', async () => {
    server.answerWith(reply(200, '{"status":"ok","instance":"conduit-0","connections":4}'));
    admin = createGatewayAdmin({});
    expect(await admin.health(instance)).toEqual({ status: 'ok', httpStatus: 200, instance: 'conduit-0' });
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', url: '/health' });
  });

  it('503 with status draining is draining', async () => {
    server.answerWith(reply(503, '{"status":"draining","instance":"conduit-0"}'));
    admin = createGatewayAdmin({});
    expect(await admin.health(instance)).toMatchObject({ status: 'draining', httpStatus: 503 });
  });

  it('200 with status draining is draining too', async () => {
    server.answerWith(reply(200, '{"status":"draining"}'));
    admin = createGatewayAdmin({});
    expect(await admin.health(instance)).toMatchObject({ status: 'draining', httpStatus: 200 });
  });

  it('takes the instance from X-Conduit-Instance when the body has none', async () => {
    server.answerWith(reply(200, '{"status":"ok"}', { 'x-conduit-instance': 'conduit-7' }));
    admin = createGatewayAdmin({});
    expect(await admin.health(instance)).toMatchObject({ status: 'ok', instance: 'conduit-7' });
  });

  it('reads configured fields (reference 004: serverId, status "healthy")', async () => {
    server.answerWith(reply(200, '{"status":"healthy","serverId":"server-1"}'));
    admin = createGatewayAdmin({ healthInstanceField: 'serverId', healthOkValues: ['healthy'] });
    expect(await admin.health(instance)).toMatchObject({ status: 'ok', instance: 'server-1' });
  });

  const unknowns: Array<[string, number, string]> = [
    ['503 that is not draining', 503, '{"status":"ok"}'],
    ['200 with an unexpected status', 200, '{"status":"meh"}'],
    ['200 without a status', 200, '{"instance":"conduit-0"}'],
    ['200 with a non-JSON body', 200, 'OK'],
    ['500', 500, '{"status":"ok"}'],
    ['404', 404, 'not found'],
  ];
  for (const [what, status, body] of unknowns) {
    it(`${what} is unknown, with the reason and a snippet of the body`, async () => {
      server.answerWith(reply(status, body));
      admin = createGatewayAdmin({});
      const health = await admin.health(instance);
      expect(health.status).toBe('unknown');
      expect(health.httpStatus).toBe(status);
      expect(health.reason).toContain(String(status));
      expect(health.reason).toContain(body);
    });
  }

  it('401 is unknown and marked unauthorized', async () => {
    server.answerWith(reply(401, '{"error":"unauthorized"}'));
    admin = createGatewayAdmin({ adminToken: 'health-secret-1' });
    const health = await admin.health(instance);
    expect(health).toMatchObject({ status: 'unknown', failure: 'unauthorized' });
    expect(JSON.stringify(health)).not.toContain('health-secret-1');
  });

  it('a refused connection is unreachable', async () => {
    admin = createGatewayAdmin({});
    const health = await admin.health({ name: 'gone', adminUrl: 'http://127.0.4.11:1' });
    expect(health).toMatchObject({ status: 'unreachable', failure: 'unreachable' });
    expect(health.reason).toContain('ECONNREFUSED');
  });

  it('a reset is unreachable', async () => {
    server.answerWith((_request, _response, socket) => socket.destroy());
    admin = createGatewayAdmin({});
    expect(await admin.health(instance)).toMatchObject({ status: 'unreachable', failure: 'unreachable' });
  });

  it('a hang is unreachable after the timeout', async () => {
    server.answerWith(() => undefined);
    admin = createGatewayAdmin({ timeoutMs: 150 });
    expect(await admin.health(instance)).toMatchObject({ status: 'unreachable', failure: 'timeout' });
  });

  it('an instance with no address yet is unreachable without a request', async () => {
    admin = createGatewayAdmin({});
    const before = server.requests.length;
    expect(await admin.health({ name: 'conduit-9' })).toMatchObject({ status: 'unreachable' });
    expect(await admin.connections({ name: 'conduit-9' })).toMatchObject({ known: false });
    expect(server.requests.length).toBe(before);
  });

  it('uses the instance healthUrl when it has one', async () => {
    server.answerWith(reply(200, '{"status":"ok"}'));
    admin = createGatewayAdmin({});
    await admin.health({ name: 'vm-1', adminUrl: `${server.url}/admin-base`, healthUrl: `${server.url}/public/health` });
    expect(server.requests.at(-1)?.url).toBe('/public/health');
  });
});
