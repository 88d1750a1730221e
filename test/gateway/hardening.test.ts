// Issue 14 at the gateway client: a missing drain endpoint, deadlines that never overrun by a
// request timeout, and the boot id a gateway may offer.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayAdmin } from '../../src/gateway/index.js';
import { GatewayError } from '../../src/ops/errors.js';
import type { GatewayAdmin, Instance } from '../../src/ops/ports/index.js';
import { FakeAdminServer, reply } from './fake-admin-server.js';

let server: FakeAdminServer;
let admin: GatewayAdmin | undefined;
let instance: Instance;

beforeAll(async () => {
  server = await FakeAdminServer.start('127.44.2.1', reply(200, '{}'));
  instance = { name: 'gw-a', adminUrl: server.url };
});
afterEach(async () => admin?.close());
afterAll(async () => server.stop());

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('item 3: a gateway without a drain endpoint', () => {
  for (const status of [404, 405]) {
    it(`a ${status} from POST /admin/drain is 'unsupported' (exit 3), never an accepted drain`, async () => {
      server.answerWith(reply(status, '{"error":"not found"}'));
      admin = createGatewayAdmin({});
      const error = await rejection(admin.drain(instance));
      expect(error.failure).toBe('unsupported');
      expect(error.kind).toBe('refused');
      expect(error.message).toContain('this gateway cannot be drained this way');
      expect(error.message).toContain(`${server.url}/admin/drain answered ${status}`);
    });
  }

  it('a 404 from undrain says it cannot be undrained this way', async () => {
    server.answerWith(reply(404, 'no'));
    admin = createGatewayAdmin({});
    const error = await rejection(admin.undrain(instance));
    expect(error.failure).toBe('unsupported');
    expect(error.message).toContain('cannot be undrained this way');
  });

  it("a Kubernetes 404 Status (the API server's pods/proxy: no such pod) is not 'unsupported'", async () => {
    server.answerWith(reply(404, '{"kind":"Status","apiVersion":"v1","message":"pods \\"gw-a\\" not found"}'));
    admin = createGatewayAdmin({});
    expect((await rejection(admin.drain(instance))).failure).toBe('http');
  });
});

describe('item 4: the deadline lies or overruns — each request is clipped to the time left', () => {
  it('a request made with 40 ms left gives up after 40 ms, not after the 60 s request timeout', async () => {
    server.answerWith(() => undefined); // never answers
    admin = createGatewayAdmin({ timeoutMs: 60_000 });
    const bounded = admin.within({ remaining: () => 40 });
    const health = await bounded.health(instance);
    expect(health).toMatchObject({ status: 'unreachable', failure: 'timeout', reason: 'no answer within 40 ms' });
    const count = await bounded.connections(instance);
    expect(count).toMatchObject({ known: false, failure: 'timeout', reason: 'no answer within 40 ms' });
  });

  it('a fractional time left (the monotonic clock is not whole milliseconds) is a valid timeout', async () => {
    server.answerWith(reply(200, '{"ws":{"connections":{"active":1}}}'));
    admin = createGatewayAdmin({});
    expect(await admin.within({ remaining: () => 999.557 }).connections(instance)).toEqual({ known: true, value: 1 });
  });

  it('with no time left nothing is sent at all', async () => {
    server.answerWith(reply(200, '{"ws":{"connections":{"active":0}}}'));
    const before = server.requests.length;
    admin = createGatewayAdmin({});
    const count = await admin.within({ remaining: () => 0 }).connections(instance);
    expect(count).toMatchObject({ known: false, failure: 'timeout' });
    expect(server.requests.length).toBe(before);
  });
});

describe('item 1: a gateway restarted mid-drain — the client reads the boot id when present', () => {
  it('a count document with a top-level bootId carries it; one without carries none', async () => {
    server.answerWith(reply(200, '{"bootId":"b-1","ws":{"connections":{"active":3}}}'));
    admin = createGatewayAdmin({});
    expect(await admin.connections(instance)).toEqual({ known: true, value: 3, bootId: 'b-1' });
    server.answerWith(reply(200, '{"ws":{"connections":{"active":3}}}'));
    expect(await admin.connections(instance)).toEqual({ known: true, value: 3 });
  });

  it('an unknown count still carries the boot id (a restart is visible even when the count is garbage)', async () => {
    server.answerWith(reply(200, '{"bootId":"b-2","ws":{"connections":{"active":"3"}}}'));
    admin = createGatewayAdmin({});
    expect(await admin.connections(instance)).toMatchObject({ known: false, bootId: 'b-2' });
  });
});
