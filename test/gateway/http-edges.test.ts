// The HTTP client's own edges (node:http keep-alive agents): one deadline over the whole exchange
// (a body that stalls after its headers), a body too large to be an admin answer, the caller's
// abort in the middle of a body, and a kept-alive socket the gateway closed while it sat idle.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayAdmin } from '../../src/gateway/index.js';
import type { GatewayAdmin } from '../../src/ops/ports/index.js';
import { FakeAdminServer, reply } from './fake-admin-server.js';

describe('gateway HTTP client edges', () => {
  let server: FakeAdminServer;
  let admin: GatewayAdmin | undefined;
  const instance = () => ({ name: 'conduit-0', adminUrl: server.url });

  beforeAll(async () => {
    server = await FakeAdminServer.start('127.46.1.1', reply(200, '{"ws":{"connections":{"active":1}}}'));
  });
  afterEach(async () => {
    await admin?.close();
    admin = undefined;
    server.answerWith(reply(200, '{"ws":{"connections":{"active":1}}}'));
  });
  afterAll(async () => server.stop());

  it('a body that stalls after its headers is a timeout, not a hang', async () => {
    server.answerWith((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"ws":{"connections":');
    });
    admin = createGatewayAdmin({ timeoutMs: 300 });
    const count = await admin.connections(instance());
    expect(count).toMatchObject({ known: false, failure: 'timeout' });
    expect(count.known || count.reason).toContain('300 ms');
  });

  it('a body over 4 MB is malformed, never parsed', async () => {
    server.answerWith((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`{"pad":"${'x'.repeat(5 * 1024 * 1024)}"}`);
    });
    admin = createGatewayAdmin({});
    const count = await admin.connections(instance());
    expect(count).toMatchObject({ known: false, failure: 'malformed' });
  });

  it("the caller's abort in the middle of a body rejects with the caller's reason", async () => {
    server.answerWith((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"ws":');
    });
    admin = createGatewayAdmin({ timeoutMs: 5_000 });
    const controller = new AbortController();
    const reason = new Error('operator pressed Ctrl-C');
    const pending = admin.connections(instance(), controller.signal);
    setTimeout(() => controller.abort(reason), 100);
    await expect(pending).rejects.toBe(reason);
  });

  // A gateway that closes a kept-alive connection as the next request arrives on it (the race
  // every keep-alive client meets): the request never reached the gateway.
  const resetOnReuse = () => {
    const served = new WeakSet<object>();
    server.answerWith((_request, response, socket) => {
      if (served.has(socket)) return void socket.destroy();
      served.add(socket);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ws":{"connections":{"active":4}}}');
    });
  };

  it('a read on a kept-alive socket the gateway just closed is sent again once, on a new one', async () => {
    resetOnReuse();
    admin = createGatewayAdmin({ connectionsPerOrigin: 1 });
    for (let i = 0; i < 4; i++) expect(await admin.connections(instance())).toEqual({ known: true, value: 4 });
    expect(server.connections).toBeGreaterThanOrEqual(4);
  });

  it('a write on such a socket is not sent again: the gateway may have acted on it', async () => {
    resetOnReuse();
    admin = createGatewayAdmin({ connectionsPerOrigin: 1 });
    await admin.connections(instance());
    const posts = () => server.requests.filter((r) => r.method === 'POST').length;
    const before = posts();
    await expect(admin.drain(instance())).rejects.toMatchObject({ failure: 'unreachable' });
    expect(posts() - before).toBe(1);
  });

  it('many reads in flight under one caller signal add no listener per request (no MaxListeners warning)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      admin = createGatewayAdmin({ connectionsPerOrigin: 8 });
      const controller = new AbortController();
      const pods = Array.from({ length: 40 }, (_, i) => ({ name: `conduit-${i}`, adminUrl: server.url }));
      const counts = await Promise.all(pods.map((pod) => admin!.connections(pod, controller.signal)));
      expect(counts.every((count) => count.known)).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
