import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayAdmin } from '../../src/gateway/index.js';
import type { GatewayAdmin } from '../../src/ops/ports/index.js';
import { FakeAdminServer, reply } from './fake-admin-server.js';

describe('one keep-alive agent', () => {
  let server: FakeAdminServer;
  let admin: GatewayAdmin | undefined;

  beforeAll(async () => {
    server = await FakeAdminServer.start('127.0.4.60', reply(200, '{"status":"ok","ws":{"connections":{"active":2}}}'));
  });
  afterEach(async () => {
    await admin?.close();
    admin = undefined;
  });
  afterAll(async () => server.stop());

  it('reuses its connections: once warm, 16 more sequential requests open no new socket', async () => {
    admin = createGatewayAdmin({});
    const instance = { name: 'conduit-0', adminUrl: server.url };
    const round = async () => {
      await admin!.health(instance);
      await admin!.connections(instance);
    };
    await round();
    const warm = server.connections;
    for (let i = 0; i < 8; i++) await round();
    expect(server.connections - warm).toBe(0);
  });

  it('caps concurrent connections per origin (one API server for the whole fleet)', async () => {
    admin = createGatewayAdmin({ connectionsPerOrigin: 3 });
    const before = server.connections;
    const pods = Array.from({ length: 30 }, (_, i) => ({ name: `conduit-${i}`, adminUrl: server.url }));
    const healths = await Promise.all(pods.map((pod) => admin!.health(pod)));
    expect(healths.every((health) => health.status === 'ok')).toBe(true);
    expect(server.connections - before).toBeLessThanOrEqual(3);
  });

  it('close() releases its sockets', async () => {
    const closing = createGatewayAdmin({});
    await closing.health({ name: 'conduit-0', adminUrl: server.url });
    expect(server.openConnections).toBeGreaterThan(0);
    await closing.close();
    for (let i = 0; i < 100 && server.openConnections > 0; i++) await sleep(10);
    expect(server.openConnections).toBe(0);
  });
});
