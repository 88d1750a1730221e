import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayAdmin } from '../../src/gateway/index.js';
import type { GatewayAdmin, Instance } from '../../src/ops/ports/index.js';
import { FakeAdminServer, reply } from './fake-admin-server.js';

const TOKEN = 'count-secret-7f3a9c';

describe('connections(): strict JSON counts', () => {
  let server: FakeAdminServer;
  let admin: GatewayAdmin;
  let instance: Instance;

  beforeAll(async () => {
    server = await FakeAdminServer.start('127.0.4.1', reply(200, '{}'));
    instance = { name: 'conduit-0', adminUrl: server.url };
  });
  afterEach(async () => admin?.close());
  afterAll(async () => server.stop());

  const metrics = (active: string) => `{"instance":"conduit-0","ws":{"connections":{"active":${active},"total":9}}}`;

  it('reads ws.connections.active from /v1/metrics', async () => {
    server.answerWith(reply(200, metrics('42')));
    admin = createGatewayAdmin({ adminToken: TOKEN });
    expect(await admin.connections(instance)).toEqual({ known: true, value: 42 });
    expect(server.requests.at(-1)?.url).toBe('/v1/metrics');
    expect(server.requests.at(-1)?.method).toBe('GET');
  });

  it('reads a zero count as a known zero', async () => {
    server.answerWith(reply(200, metrics('0')));
    admin = createGatewayAdmin({});
    expect(await admin.connections(instance)).toEqual({ known: true, value: 0 });
  });

  const malformed: Array<[string, string]> = [
    ['a string "0"', metrics('"0"')],
    ['a negative count', metrics('-1')],
    ['a fractional count', metrics('1.5')],
    ['null', metrics('null')],
    ['1e300', metrics('1e300')],
    ['negative zero', metrics('-0')],
    ['a missing field', '{"ws":{"connections":{"total":3}}}'],
    ['a missing parent object', '{"instance":"conduit-0"}'],
    ['non-JSON', '<html>502 Bad Gateway</html>'],
    ['an empty body', ''],
    ['a JSON array', '[0]'],
  ];
  for (const [what, body] of malformed) {
    it(`treats ${what} as unknown, never zero, with a snippet`, async () => {
      server.answerWith(reply(200, body));
      admin = createGatewayAdmin({});
      const count = await admin.connections(instance);
      expect(count.known).toBe(false);
      if (count.known) return;
      expect(count.reason).not.toBe('');
      expect(count.failure).toBe('malformed');
      expect(count.snippet).toBe(body.slice(0, 80));
    });
  }

  it('treats HTTP 500 as unknown with the body as snippet', async () => {
    server.answerWith(reply(500, '{"error":"database on fire","active":0}'));
    admin = createGatewayAdmin({});
    const count = await admin.connections(instance);
    expect(count).toMatchObject({ known: false, failure: 'http', snippet: '{"error":"database on fire","active":0}' });
    expect(count.known || count.reason).toContain('500');
  });

  it('treats a connection reset as unknown', async () => {
    server.answerWith((_request, _response, socket) => socket.destroy());
    admin = createGatewayAdmin({});
    expect(await admin.connections(instance)).toMatchObject({ known: false, failure: 'unreachable' });
  });

  it('treats a hanging gateway as unknown after the configured timeout', async () => {
    server.answerWith(() => undefined);
    admin = createGatewayAdmin({ timeoutMs: 200 });
    const count = await admin.connections(instance);
    expect(count).toMatchObject({ known: false, failure: 'timeout' });
    expect(count.known || count.reason).toContain('200 ms');
  });

  it('treats a refused connection as unknown', async () => {
    admin = createGatewayAdmin({});
    const count = await admin.connections({ name: 'gone', adminUrl: 'http://127.0.4.2:1' });
    expect(count).toMatchObject({ known: false, failure: 'unreachable' });
  });

  it('treats 401 as unknown marked unauthorized, without the token', async () => {
    server.answerWith(reply(401, `{"error":"bad token ${TOKEN}"}`));
    admin = createGatewayAdmin({ adminToken: TOKEN });
    const count = await admin.connections(instance);
    expect(count).toMatchObject({ known: false, failure: 'unauthorized' });
    expect(JSON.stringify(count)).not.toContain(TOKEN);
    expect(JSON.stringify(count)).toContain('***');
  });

  it('cuts and cleans snippets: at most 80 characters, no control characters', async () => {
    const body = `{"ws":\n\t{"connections":{"active":"lots"}}, "pad":"${'x'.repeat(200)}"}\u001b[31m`;
    server.answerWith(reply(200, body));
    admin = createGatewayAdmin({});
    const count = await admin.connections(instance);
    expect(count.known).toBe(false);
    if (count.known) return;
    expect(Array.from(count.snippet ?? '').length).toBeLessThanOrEqual(80);
    expect(count.snippet).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(count.snippet?.startsWith('{"ws": {"connections"')).toBe(true);
  });

  it('reads a configured JSON path (reference 002: connectedClients at /api/health/websocket)', async () => {
    server.answerWith(reply(200, '{"connectedClients":150,"uptime":3}'));
    admin = createGatewayAdmin({ count: { kind: 'json', path: '/api/health/websocket', field: 'connectedClients' } });
    expect(await admin.connections(instance)).toEqual({ known: true, value: 150 });
    expect(server.requests.at(-1)?.url).toBe('/api/health/websocket');
  });

  it('passes the caller\'s abort through instead of reading it as unknown', async () => {
    server.answerWith(() => undefined);
    admin = createGatewayAdmin({ timeoutMs: 5_000 });
    const controller = new AbortController();
    const reason = new Error('operator pressed Ctrl-C');
    const pending = admin.connections(instance, controller.signal);
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
  });
});

describe('connections(): Prometheus counts', () => {
  let server: FakeAdminServer;
  let admin: GatewayAdmin;
  let instance: Instance;

  beforeAll(async () => {
    server = await FakeAdminServer.start('127.0.4.3', reply(200, ''));
    instance = { name: 'conduit-1', adminUrl: server.url };
  });
  afterEach(async () => admin?.close());
  afterAll(async () => server.stop());

  const exposition = [
    '# HELP conduit_ws_connections_active Open WebSocket connections.',
    '# TYPE conduit_ws_connections_active gauge',
    'conduit_ws_connections_active{route="/v1/subscribe"} 7',
    'conduit_ws_connections_active{route="/v1/admin"} 3',
    'conduit_ws_connections_total 1234 1700000000000',
    '',
  ].join('\n');

  it('sums the series of the metric at /metrics', async () => {
    server.answerWith(reply(200, exposition, { 'content-type': 'text/plain; version=0.0.4' }));
    admin = createGatewayAdmin({ count: { kind: 'prometheus', path: '/metrics', metric: 'conduit_ws_connections_active' } });
    expect(await admin.connections(instance)).toEqual({ known: true, value: 10 });
    expect(server.requests.at(-1)?.url).toBe('/metrics');
  });

  it('takes the one series whose labels match exactly', async () => {
    server.answerWith(reply(200, exposition));
    admin = createGatewayAdmin({
      count: { kind: 'prometheus', path: '/metrics', metric: 'conduit_ws_connections_active', labels: { route: '/v1/admin' } },
    });
    expect(await admin.connections(instance)).toEqual({ known: true, value: 3 });
  });

  it('reads a garbage line as unknown with a snippet', async () => {
    server.answerWith(reply(200, `${exposition}garbage line here\n`));
    admin = createGatewayAdmin({ count: { kind: 'prometheus', path: '/metrics', metric: 'conduit_ws_connections_active' } });
    const count = await admin.connections(instance);
    expect(count).toMatchObject({ known: false, failure: 'malformed' });
    expect(count.known || count.reason).toContain('line 6');
    expect(count.known || count.snippet).toContain('# HELP');
  });

  it('reads a missing metric as unknown', async () => {
    server.answerWith(reply(200, 'conduit_ws_connections_total 5\n'));
    admin = createGatewayAdmin({ count: { kind: 'prometheus', path: '/metrics', metric: 'conduit_ws_connections_active' } });
    expect(await admin.connections(instance)).toMatchObject({ known: false, failure: 'malformed' });
  });
});
