import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayAdmin } from '../../src/gateway/index.js';
import { GatewayError, UsageError } from '../../src/ops/errors.js';
import type { GatewayAdmin, Instance } from '../../src/ops/ports/index.js';
import { FakeAdminServer, reply } from './fake-admin-server.js';

const TOKEN = 'drain-secret-b81d40e2';

async function caught(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('drain() and undrain()', () => {
  let server: FakeAdminServer;
  let admin: GatewayAdmin;
  let instance: Instance;

  beforeAll(async () => {
    server = await FakeAdminServer.start('127.0.4.20', reply(202, '{}'));
    instance = { name: 'conduit-0', adminUrl: server.url };
  });
  afterEach(async () => admin?.close());
  afterAll(async () => server.stop());

  it('202 is accepted, with the active count it reports', async () => {
    server.answerWith(reply(202, '{"status":"draining","active":12}'));
    admin = createGatewayAdmin({ adminToken: TOKEN });
    expect(await admin.drain(instance)).toEqual({ accepted: true, httpStatus: 202, active: { known: true, value: 12 } });
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', url: '/admin/drain' });
  });

  it('an accepted drain with a malformed active count is accepted with an unknown count', async () => {
    server.answerWith(reply(202, '{"status":"draining","active":"12"}'));
    admin = createGatewayAdmin({});
    const ack = await admin.drain(instance);
    expect(ack.accepted).toBe(true);
    expect(ack.active).toMatchObject({ known: false, snippet: '{"status":"draining","active":"12"}' });
  });

  for (const status of [401, 403]) {
    it(`${status} throws unauthorized naming the endpoint, never the token`, async () => {
      server.answerWith(reply(status, `{"error":"token ${TOKEN} is not valid"}`));
      admin = createGatewayAdmin({ adminToken: TOKEN });
      const error = await caught(admin.drain(instance));
      expect(error.failure).toBe('unauthorized');
      expect(error.kind).toBe('refused');
      expect(error.httpStatus).toBe(status);
      expect(error.endpoint).toBe(`${server.url}/admin/drain`);
      expect(error.message).toContain(`${server.url}/admin/drain`);
      expect(error.message).toMatch(/admin token was rejected or is missing/);
      expect(error.message).not.toContain(TOKEN);
      expect(JSON.stringify(error)).not.toContain(TOKEN);
      expect(String(error.stack)).not.toContain(TOKEN);
    });
  }

  it('500 throws an http failure with a snippet of the body', async () => {
    server.answerWith(reply(500, '{"error":"boom"}'));
    admin = createGatewayAdmin({});
    const error = await caught(admin.drain(instance));
    expect(error).toMatchObject({ failure: 'http', httpStatus: 500 });
    expect(error.message).toContain('{"error":"boom"}');
  });

  it('a hang throws a timeout failure', async () => {
    server.answerWith(() => undefined);
    admin = createGatewayAdmin({ timeoutMs: 150 });
    expect((await caught(admin.drain(instance))).failure).toBe('timeout');
  });

  it('a refused connection throws unreachable', async () => {
    admin = createGatewayAdmin({});
    expect((await caught(admin.drain({ name: 'gone', adminUrl: 'http://127.0.4.21:1' }))).failure).toBe('unreachable');
  });

  it('undrain POSTs /admin/undrain and resolves on 2xx', async () => {
    server.answerWith(reply(200, '{"status":"ok"}'));
    admin = createGatewayAdmin({});
    await admin.undrain(instance);
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', url: '/admin/undrain' });
  });

  it('undrain throws unauthorized on 401', async () => {
    server.answerWith(reply(401, ''));
    admin = createGatewayAdmin({ adminToken: TOKEN });
    const error = await caught(admin.undrain(instance));
    expect(error.failure).toBe('unauthorized');
    expect(error.message).toContain('/admin/undrain');
  });
});

describe('migrate()', () => {
  let server: FakeAdminServer;
  let admin: GatewayAdmin;
  let instance: Instance;
  const request = { count: 100, targets: ['ws://127.0.4.31:9088/v1/subscribe'], reconnectAfterMs: 1000, jitterMs: 2000, batchId: 'b-1' };

  beforeAll(async () => {
    server = await FakeAdminServer.start('127.0.4.30', reply(200, '{}'));
    instance = { name: 'conduit-0', adminUrl: server.url };
  });
  afterEach(async () => admin?.close());
  afterAll(async () => server.stop());

  it('POSTs the batch as JSON and reads {migrated, remaining}', async () => {
    server.answerWith(reply(200, '{"migrated":100,"remaining":250}'));
    admin = createGatewayAdmin({});
    expect(await admin.migrate(instance, request)).toEqual({ migrated: 100, remaining: { known: true, value: 250 } });
    const sent = server.requests.at(-1)!;
    expect(sent).toMatchObject({ method: 'POST', url: '/admin/migrate' });
    expect(sent.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent.body)).toEqual(request);
  });

  it('a malformed remaining is an unknown count, not zero', async () => {
    server.answerWith(reply(200, '{"migrated":100,"remaining":-3}'));
    admin = createGatewayAdmin({});
    const result = await admin.migrate(instance, request);
    expect(result.migrated).toBe(100);
    expect(result.remaining.known).toBe(false);
  });

  for (const body of ['{"migrated":"100","remaining":0}', '{"remaining":0}', '{"migrated":1.5}', 'moved them', '']) {
    it(`throws malformed for ${JSON.stringify(body)}`, async () => {
      server.answerWith(reply(200, body));
      admin = createGatewayAdmin({});
      const error = await caught(admin.migrate(instance, request));
      expect(error.failure).toBe('malformed');
      expect(error.endpoint).toBe(`${server.url}/admin/migrate`);
    });
  }

  it('refuses an invalid request before sending it', async () => {
    admin = createGatewayAdmin({});
    const before = server.requests.length;
    await expect(admin.migrate(instance, { ...request, count: -1 })).rejects.toBeInstanceOf(UsageError);
    await expect(admin.migrate(instance, { ...request, jitterMs: 0.5 })).rejects.toBeInstanceOf(UsageError);
    expect(server.requests.length).toBe(before);
  });
});
