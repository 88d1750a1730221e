import { describe, expect, it } from 'vitest';
import { executeMigration, type MigrationOptions } from '../../../src/ops/migrate/execute.js';
import type { MigrationEvent } from '../../../src/ops/migrate/events.js';
import { pacingOf } from '../../../src/ops/migrate/pacing.js';
import type { ReceiverSpec } from '../../../src/ops/migrate/read-receivers.js';
import { FakeClock, FakeFleet, FakeGateway, fakeInstances, gatewayError } from '../../support/fakes/index.js';

const [source, r0, r1, r2] = [fakeInstances(4)[3]!, ...fakeInstances(3)] as const;
const urlOf = (name: string) => `ws://${name}:9088/v1/subscribe`;
const landing = new Map(['conduit-0', 'conduit-1', 'conduit-2'].map((n) => [urlOf(n), n]));

function world(options: { sourceConnections?: number; receivers?: Record<string, number>; landing?: boolean; landingDelayMs?: number; latencyMs?: number } = {}) {
  const clock = new FakeClock();
  const gateway = new FakeGateway({
    clock,
    ...(options.landing === false ? {} : { landing }),
    ...(options.landingDelayMs ? { landingDelayMs: options.landingDelayMs } : {}),
    ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}),
  });
  gateway.set(source.name, { connections: options.sourceConnections ?? 100 });
  for (const [name, n] of Object.entries(options.receivers ?? { 'conduit-0': 10, 'conduit-1': 30 })) gateway.set(name, { connections: n });
  const events: MigrationEvent[] = [];
  const abort = new AbortController();
  const run = (extra: Partial<MigrationOptions> = {}, specs?: ReceiverSpec[]) =>
    executeMigration({
      gateway,
      clock,
      signal: abort.signal,
      source,
      receivers: specs ?? [r0, r1].map((instance) => ({ instance, url: urlOf(instance.name), maxConnections: 1000 })),
      sendTo: { kind: 'direct' },
      settings: { pacing: pacingOf({ batchSize: 20, intervalMs: 100 }), window: { minMs: 0, maxMs: 500 }, timeoutMs: 60_000 },
      runId: 'run1',
      onEvent: (event) => events.push(event),
      random: () => 0.5,
      ...extra,
    });
  return { clock, gateway, events, abort, run };
}

const batchesOf = (events: MigrationEvent[]) => events.flatMap((e) => (e.type === 'batch' ? [e.batch] : []));

describe('executeMigration', () => {
  it('moves everyone in paced batches with distinct batch ids, to the receivers only, and reports every batch', async () => {
    const { clock, gateway, events, run } = world();
    const result = await clock.runUntilSettled(run());
    expect(result).toMatchObject({ outcome: 'completed', moved: 100, left: { known: true, value: 0 } });
    expect(result.batches.map((b) => [b.batchId, b.atMs, b.migrated, b.attempts])).toEqual([
      ['run1-1', 0, 20, 1],
      ['run1-2', 100, 20, 1],
      ['run1-3', 200, 20, 1],
      ['run1-4', 300, 20, 1],
      ['run1-5', 400, 20, 1],
    ]);
    expect(events[0]?.type).toBe('plan');
    expect(batchesOf(events)).toEqual(result.batches);
    const requests = gateway.callsOf('migrate').map((c) => c.migrate!);
    expect(requests.every((r) => r.targets.every((t) => t === urlOf('conduit-0') || t === urlOf('conduit-1')))).toBe(true);
    expect(requests[0]).toMatchObject({ count: 20, reconnectAfterMs: 0, jitterMs: 500 });
    // Water-filled from fresh counts: the lighter receiver catches up first, then they alternate.
    expect(result.batches[0]!.shares).toEqual({ 'conduit-0': 20 });
    expect(gateway.state('conduit-0').connections + gateway.state('conduit-1').connections).toBe(140);
    expect(Math.abs(gateway.state('conduit-0').connections - gateway.state('conduit-1').connections)).toBeLessThanOrEqual(1);
  });

  it('retries a POST whose answer was lost after the gateway acted with the same batch id: nobody moves twice', async () => {
    const { clock, gateway, events, run } = world();
    gateway.set(source.name, { loseMigrateAnswers: 1 });
    const result = await clock.runUntilSettled(run());
    const posts = gateway.callsOf('migrate').map((c) => c.migrate!.batchId);
    expect(posts.slice(0, 2)).toEqual(['run1-1', 'run1-1']);
    expect(events.filter((e) => e.type === 'retry')).toMatchObject([{ type: 'retry', batchId: 'run1-1', attempt: 2 }]);
    expect(gateway.executedBatches.map((b) => b.batchId)).toEqual(['run1-1', 'run1-2', 'run1-3', 'run1-4', 'run1-5']);
    expect(result).toMatchObject({ outcome: 'completed', moved: 100 });
    expect(result.batches[0]).toMatchObject({ batchId: 'run1-1', migrated: 20, attempts: 2 });
    expect(gateway.state('conduit-0').connections + gateway.state('conduit-1').connections).toBe(140);
  });

  it('gives up on a batch after the retries, saying so, without a second batch id for it', async () => {
    const { clock, gateway, run } = world();
    gateway.set(source.name, { migrateError: gatewayError('unreachable', 'http://x/admin/migrate') });
    await expect(clock.runUntilSettled(run())).rejects.toThrow(/unreachable/);
    expect(new Set(gateway.callsOf('migrate').map((c) => c.migrate!.batchId))).toEqual(new Set(['run1-1']));
    expect(gateway.callsOf('migrate')).toHaveLength(4);
  });

  it('does not retry a 401: it stops at once', async () => {
    const { clock, gateway, run } = world();
    gateway.set(source.name, { migrateError: gatewayError('unauthorized') });
    await expect(clock.runUntilSettled(run())).rejects.toThrow(/unauthorized/);
    expect(gateway.callsOf('migrate')).toHaveLength(1);
  });

  it('refuses before any move when the receivers cannot absorb the clients', async () => {
    const { clock, gateway, run } = world();
    const specs = [r0, r1].map((instance) => ({ instance, url: urlOf(instance.name), maxConnections: 60 }));
    const result = await clock.runUntilSettled(run({}, specs));
    expect(result).toMatchObject({ outcome: 'refused', moved: 0, batches: [] });
    expect(result.message).toBe('nothing moved: the receivers have room for 80 more connections (conduit-0 10/60, conduit-1 30/60), 100 to move');
    expect(gateway.callsOf('migrate')).toHaveLength(0);
  });

  it('refuses when the source count is unknown (unknown is never zero, nor a number to plan with)', async () => {
    const { clock, gateway, run } = world();
    gateway.set(source.name, { counts: ['unknown'] });
    const result = await clock.runUntilSettled(run());
    expect(result.outcome).toBe('refused');
    expect(gateway.callsOf('migrate')).toHaveLength(0);
  });

  it('never sends a client to a receiver that starts draining, to a leaving pod, or to a pod that goes unready', async () => {
    const { clock, gateway, run } = world({ receivers: { 'conduit-0': 0, 'conduit-1': 0, 'conduit-2': 0 } });
    const fleet = new FakeFleet(fakeInstances(3));
    const specs: ReceiverSpec[] = [
      { instance: r0, url: urlOf('conduit-0') },
      { instance: r1, url: urlOf('conduit-1') },
      { instance: r2, url: urlOf('conduit-2'), leaving: true },
    ];
    const running = run({ fleet }, specs);
    await clock.advance(150); // two batches sent
    gateway.set('conduit-1', { draining: true });
    const result = await clock.runUntilSettled(running);
    expect(result.outcome).toBe('completed');
    const targets = gateway.callsOf('migrate').map((c) => new Set(c.migrate!.targets));
    expect(targets.every((t) => !t.has(urlOf('conduit-2')))).toBe(true);
    expect(targets.slice(2).every((t) => t.size === 1 && t.has(urlOf('conduit-0')))).toBe(true);
    expect(gateway.state('conduit-2').connections).toBe(0);
  });

  it('refuses when no receiver can take clients at plan time', async () => {
    const { clock, gateway, events, run } = world({ sourceConnections: 40 });
    gateway.set('conduit-0', { draining: true });
    gateway.set('conduit-1', { draining: true });
    const result = await clock.runUntilSettled(run());
    expect(result.outcome).toBe('refused');
    expect(events.some((e) => e.type === 'batch')).toBe(false);
  });

  it('pauses mid-run while every receiver is draining, then times out saying what moved and what is left', async () => {
    const { clock, gateway, events, run } = world({ sourceConnections: 100 });
    const running = run({ settings: { pacing: pacingOf({ batchSize: 20, intervalMs: 100 }), window: { minMs: 0, maxMs: 500 }, timeoutMs: 2_000 } });
    await clock.advance(150);
    gateway.set('conduit-0', { draining: true });
    gateway.set('conduit-1', { draining: true });
    const result = await clock.runUntilSettled(running);
    expect(result).toMatchObject({ outcome: 'timeout', moved: 40, left: { known: true, value: 60 } });
    expect(result.message).toMatch(/40 moved, 60 left on conduit-3/);
    expect(events.find((e) => e.type === 'paused')).toMatchObject({ reason: 'no-receiver' });
  });

  it('stops at --count', async () => {
    const { clock, run } = world();
    const result = await clock.runUntilSettled(run({ settings: { pacing: pacingOf({ batchSize: 20, intervalMs: 100 }), window: { minMs: 0, maxMs: 500 }, timeoutMs: 60_000, limit: 30 } }));
    expect(result).toMatchObject({ outcome: 'completed', moved: 30 });
    expect(result.batches.map((b) => b.requested)).toEqual([20, 10]);
  });

  it('Ctrl-C stops between batches: the batch in flight completes, nothing more is sent, and it says what moved and what is left', async () => {
    const { clock, gateway, abort, run } = world({ latencyMs: 30 });
    const running = run();
    while (!(gateway.callsOf('migrate').length === 2 && gateway.inFlight > 0)) await clock.advance(1);
    abort.abort(new Error('SIGINT'));
    const result = await clock.runUntilSettled(running);
    expect(result.outcome).toBe('interrupted');
    expect(result.moved).toBe(40);
    expect(result.message).toBe('interrupted between batches: 40 moved, 60 left on conduit-3');
    expect(gateway.callsOf('migrate')).toHaveLength(2);
  });

  it('halves the batch when a receiver nears its limit', async () => {
    const { clock, events, run } = world({ sourceConnections: 40, receivers: { 'conduit-0': 95, 'conduit-1': 10 } });
    const specs = [r0, r1].map((instance) => ({ instance, url: urlOf(instance.name), maxConnections: 100 }));
    const result = await clock.runUntilSettled(run({}, specs));
    expect(events.find((e) => e.type === 'slowed')).toMatchObject({ reason: 'conduit-0 95/100 near capacity', batchSize: 10 });
    expect(result.batches[0]!.requested).toBe(10);
    expect(result.moved).toBe(40);
  });

  it('counts the clients still reconnecting against a receiver\'s room: it never gives a receiver more than its room while they are in flight', async () => {
    // conduit-0 has room for 50 and, having a limit, is filled first; moved clients take 1.5 s to show up in its count.
    const { clock, gateway, run } = world({ sourceConnections: 100, receivers: { 'conduit-0': 10, 'conduit-1': 0 }, landingDelayMs: 1_500 });
    const specs = [{ instance: r0, url: urlOf('conduit-0'), maxConnections: 60 }, { instance: r1, url: urlOf('conduit-1') }];
    const settings = { pacing: pacingOf({ batchSize: 20, intervalMs: 100 }), window: { minMs: 1_000, maxMs: 2_000 }, timeoutMs: 60_000 };
    const result = await clock.runUntilSettled(run({ settings }, specs));
    expect(result).toMatchObject({ outcome: 'completed', moved: 100 });
    const toConduit0 = result.batches.reduce((sum, b) => sum + (b.shares['conduit-0'] ?? 0), 0);
    expect(toConduit0).toBe(50);
    await clock.advance(2_000);
    expect(gateway.state('conduit-0').connections).toBe(60);
    expect(gateway.state('conduit-1').connections).toBe(50);
  });

  it('pauses while moved clients do not show up at the receivers, then goes on at half speed', async () => {
    const { clock, events, run } = world({ sourceConnections: 1000, landing: false });
    const result = await clock.runUntilSettled(run());
    expect(result.outcome).toBe('completed');
    const paused = events.find((e) => e.type === 'paused');
    expect(paused).toMatchObject({ reason: 'receivers-lag' });
    expect(events.find((e) => e.type === 'slowed')).toMatchObject({ reason: 'receivers lag behind', batchSize: 10 });
    expect(result.pauses.some((p) => p.reason === 'receivers-lag' && p.ms >= 2_500)).toBe(true);
  });

  it('stops before the next batch when the lock was lost', async () => {
    const { clock, gateway, run } = world();
    let lost: string | undefined;
    const running = run({ lock: { lost: () => lost } });
    await clock.advance(150);
    lost = 'renewal failed';
    const result = await clock.runUntilSettled(running);
    expect(result).toMatchObject({ outcome: 'failed', moved: 40 });
    expect(gateway.callsOf('migrate')).toHaveLength(2);
  });

  it('sends every client to the load balancer URL when asked, expecting them to land on the receivers', async () => {
    const { clock, gateway, run } = world({ landing: false });
    const result = await clock.runUntilSettled(run({ sendTo: { kind: 'url', url: 'ws://lb.example/v1/subscribe' } }, [r0, r1].map((instance) => ({ instance }))));
    expect(result.outcome).toBe('completed');
    expect(gateway.callsOf('migrate').every((c) => c.migrate!.targets.join() === 'ws://lb.example/v1/subscribe')).toBe(true);
  });

  it('has nothing to do for an empty source', async () => {
    const { clock, gateway, run } = world({ sourceConnections: 0 });
    expect((await clock.runUntilSettled(run())).outcome).toBe('nothing-to-move');
    expect(gateway.callsOf('migrate')).toHaveLength(0);
  });
});
