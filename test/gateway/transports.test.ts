import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayAdmin } from '../../src/gateway/index.js';
import { UsageError } from '../../src/ops/errors.js';
import type { GatewayAdmin } from '../../src/ops/ports/index.js';
import { FakeAdminServer, reply } from './fake-admin-server.js';

const GATEWAY_TOKEN = 'gw-token-51c0ffee';
const API_TOKEN = 'api-server-token-9d2e';

describe('direct transport', () => {
  let server: FakeAdminServer;
  let admin: GatewayAdmin;

  beforeAll(async () => {
    server = await FakeAdminServer.start('127.0.4.40', reply(200, '{"status":"ok","ws":{"connections":{"active":1}}}'));
  });
  afterEach(async () => admin?.close());
  afterAll(async () => server.stop());

  it('builds http://{address}:{adminPort}{path} and sends Authorization: Bearer', async () => {
    admin = createGatewayAdmin({ adminPort: server.port, adminToken: GATEWAY_TOKEN });
    await admin.connections({ name: 'conduit-0', address: '127.0.4.40' });
    const sent = server.requests.at(-1)!;
    expect(sent.url).toBe('/v1/metrics');
    expect(sent.headers.authorization).toBe(`Bearer ${GATEWAY_TOKEN}`);
    expect(sent.headers['x-conduit-admin-token']).toBeUndefined();
  });

  it('reads health from the health port when one is configured', async () => {
    admin = createGatewayAdmin({ adminPort: 1, healthPort: server.port });
    expect(await admin.health({ name: 'conduit-0', address: '127.0.4.40' })).toMatchObject({ status: 'ok' });
  });

  it('hangs every path off a static instance admin base URL, keeping its prefix', async () => {
    admin = createGatewayAdmin({});
    const instance = { name: 'vm-a', adminUrl: `${server.url}/gw/` };
    await admin.health(instance);
    await admin.connections(instance);
    expect(server.requests.slice(-2).map((r) => r.url)).toEqual(['/gw/health', '/gw/v1/metrics']);
  });

  it('sends no credentials when there is no token', async () => {
    admin = createGatewayAdmin({});
    await admin.health({ name: 'vm-a', adminUrl: server.url });
    expect(server.requests.at(-1)!.headers.authorization).toBeUndefined();
  });
});

describe('proxy transport (API server pods/proxy)', () => {
  let apiServer: FakeAdminServer;
  let admin: GatewayAdmin;

  beforeAll(async () => {
    apiServer = await FakeAdminServer.start('127.0.4.41', reply(202, '{"status":"draining","active":0}'));
  });
  afterEach(async () => admin?.close());
  afterAll(async () => apiServer.stop());

  const proxied = () =>
    createGatewayAdmin({
      adminToken: GATEWAY_TOKEN,
      transport: {
        kind: 'proxy',
        apiServer: `${apiServer.url}/`,
        namespace: 'conduit',
        headers: { Authorization: `Bearer ${API_TOKEN}` },
      },
    });

  it('requests /api/v1/namespaces/{ns}/pods/{name}:{port}/proxy{path} with both credentials in their places', async () => {
    admin = proxied();
    await admin.drain({ name: 'conduit-0', address: '10.0.0.9' });
    const sent = apiServer.requests.at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/api/v1/namespaces/conduit/pods/conduit-0:9087/proxy/admin/drain');
    expect(sent.headers.authorization).toBe(`Bearer ${API_TOKEN}`);
    expect(sent.headers['x-conduit-admin-token']).toBe(GATEWAY_TOKEN);
  });

  it('reads health and counts through the proxy too', async () => {
    admin = proxied();
    await admin.health({ name: 'conduit-1' });
    await admin.connections({ name: 'conduit-1' });
    expect(apiServer.requests.slice(-2).map((r) => r.url)).toEqual([
      '/api/v1/namespaces/conduit/pods/conduit-1:9087/proxy/health',
      '/api/v1/namespaces/conduit/pods/conduit-1:9087/proxy/v1/metrics',
    ]);
  });

  it('keeps both tokens out of errors', async () => {
    apiServer.answerWith(reply(403, `{"kind":"Status","apiVersion":"v1","status":"Failure","message":"token ${API_TOKEN} forbidden","code":403}`));
    admin = proxied();
    const error = await admin.drain({ name: 'conduit-0' }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ failure: 'unauthorized' });
    expect((error as Error).message).toContain('the Kubernetes API server refused it: token *** forbidden');
    const text = `${String(error)} ${JSON.stringify(error)}`;
    expect(text).not.toContain(GATEWAY_TOKEN);
    expect(text).not.toContain(API_TOKEN);
    apiServer.answerWith(reply(500, `echo: ${GATEWAY_TOKEN} / Bearer ${API_TOKEN}`));
    const count = await admin.connections({ name: 'conduit-0' });
    expect(JSON.stringify(count)).not.toContain(GATEWAY_TOKEN);
    expect(JSON.stringify(count)).not.toContain(API_TOKEN);
  });

  const badNames = ['a/b', '..', 'a b', 'UPPER', 'x'.repeat(254), '', 'conduit-0?x=1', '%2e%2e'];
  for (const name of badNames) {
    it(`rejects the pod name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}…(${name.length})` : name)} before any request`, async () => {
      admin = proxied();
      const before = apiServer.requests.length;
      const pod = { name };
      await expect(admin.health(pod)).rejects.toBeInstanceOf(UsageError);
      await expect(admin.connections(pod)).rejects.toBeInstanceOf(UsageError);
      await expect(admin.drain(pod)).rejects.toBeInstanceOf(UsageError);
      expect(apiServer.requests.length).toBe(before);
    });
  }

  it('accepts a 253-character name', async () => {
    apiServer.answerWith(reply(200, '{"status":"ok"}'));
    admin = proxied();
    const name = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(name).toHaveLength(253);
    expect(await admin.health({ name })).toMatchObject({ status: 'ok' });
  });

  it('rejects an invalid namespace', async () => {
    admin = createGatewayAdmin({ transport: { kind: 'proxy', apiServer: apiServer.url, namespace: '../kube-system' } });
    await expect(admin.health({ name: 'conduit-0' })).rejects.toBeInstanceOf(UsageError);
  });
});

describe('configuration', () => {
  it('refuses invalid ports, paths and timeouts', () => {
    expect(() => createGatewayAdmin({ adminPort: 0 })).toThrow(UsageError);
    expect(() => createGatewayAdmin({ healthPort: 70_000 })).toThrow(UsageError);
    expect(() => createGatewayAdmin({ paths: { drain: 'admin/drain' } })).toThrow(UsageError);
    expect(() => createGatewayAdmin({ count: { kind: 'json', path: '/m?x=1', field: 'a' } })).toThrow(UsageError);
    expect(() => createGatewayAdmin({ timeoutMs: 0 })).toThrow(UsageError);
  });
});
