import { describe, expect, it } from 'vitest';
import { allocate, targetsFor } from '../../../src/ops/migrate/allocate.js';
import { DEFAULT_RATE_PER_SECOND, pacingOf } from '../../../src/ops/migrate/pacing.js';
import { planMigration, type MigrationPlanInput } from '../../../src/ops/migrate/plan.js';
import { chooseReceivers, type Receiver, type ReceiverCandidate } from '../../../src/ops/migrate/receivers.js';
import { DEFAULT_RECONNECT_WINDOW, reconnectRequestOf } from '../../../src/ops/migrate/reconnect-window.js';

const known = (value: number) => ({ known: true as const, value });
const candidate = (name: string, connections: number, extra: Partial<ReceiverCandidate> = {}): ReceiverCandidate => ({
  name,
  url: `ws://${name}:9088/v1/subscribe`,
  ready: true,
  health: 'ok',
  connections: known(connections),
  ...extra,
});
const receiver = (name: string, connections: number, maxConnections?: number): Receiver => ({
  name,
  url: `ws://${name}/`,
  connections,
  ...(maxConnections !== undefined ? { maxConnections } : {}),
  free: maxConnections === undefined ? Infinity : Math.max(0, maxConnections - connections),
});

function input(extra: Partial<MigrationPlanInput> = {}): MigrationPlanInput {
  return {
    source: 'conduit-2',
    sourceCount: 1000,
    candidates: [candidate('conduit-0', 500, { maxConnections: 2000 }), candidate('conduit-1', 700, { maxConnections: 2000 })],
    direct: true,
    pacing: pacingOf({ ratePerSecond: 200 }),
    window: DEFAULT_RECONNECT_WINDOW,
    ...extra,
  };
}

describe('pacingOf', () => {
  it('turns a rate into ten batches a second', () => {
    expect(pacingOf({ ratePerSecond: 2000 })).toEqual({ batchSize: 200, intervalMs: 100, ratePerSecond: 2000 });
    expect(pacingOf({ ratePerSecond: 5 })).toEqual({ batchSize: 1, intervalMs: 200, ratePerSecond: 5 });
  });
  it('keeps a given batch size at the rate, or a given interval at the rate', () => {
    expect(pacingOf({ ratePerSecond: 100, batchSize: 50 })).toEqual({ batchSize: 50, intervalMs: 500, ratePerSecond: 100 });
    expect(pacingOf({ ratePerSecond: 100, intervalMs: 2000 })).toEqual({ batchSize: 200, intervalMs: 2000, ratePerSecond: 100 });
  });
  it('takes a batch size and an interval as given', () => {
    expect(pacingOf({ batchSize: 100, intervalMs: 100 })).toEqual({ batchSize: 100, intervalMs: 100, ratePerSecond: 1000 });
  });
  it('defaults to the default rate, and fills one missing half from it', () => {
    expect(pacingOf({}).ratePerSecond).toBe(DEFAULT_RATE_PER_SECOND);
    expect(pacingOf({ batchSize: 40 }).ratePerSecond).toBe(DEFAULT_RATE_PER_SECOND);
    expect(pacingOf({ intervalMs: 1000 })).toEqual({ batchSize: DEFAULT_RATE_PER_SECOND, intervalMs: 1000, ratePerSecond: DEFAULT_RATE_PER_SECOND });
  });
  it.each([
    [{ ratePerSecond: 0 }],
    [{ ratePerSecond: -1 }],
    [{ batchSize: 1.5, intervalMs: 10 }],
    [{ intervalMs: Number.NaN }],
    [{ ratePerSecond: 10, batchSize: 1, intervalMs: 100 }],
  ])('refuses %j', (request) => {
    expect(() => pacingOf(request)).toThrow(RangeError);
  });
});

describe('reconnect window', () => {
  it('defaults to 1012’s randomised 5–30 s, sent as 5 s + up to 25 s of jitter', () => {
    expect(reconnectRequestOf(DEFAULT_RECONNECT_WINDOW)).toEqual({ reconnectAfterMs: 5000, jitterMs: 25000 });
    expect(reconnectRequestOf({ minMs: 0, maxMs: 500 })).toEqual({ reconnectAfterMs: 0, jitterMs: 500 });
    expect(reconnectRequestOf({ minMs: 100, maxMs: 100 })).toEqual({ reconnectAfterMs: 100, jitterMs: 0 });
  });
  it('refuses a window that ends before it starts', () => {
    expect(() => reconnectRequestOf({ minMs: 10, maxMs: 5 })).toThrow(RangeError);
    expect(() => reconnectRequestOf({ minMs: -1, maxMs: 5 })).toThrow(RangeError);
  });
});

describe('chooseReceivers', () => {
  it.each<[string, Partial<ReceiverCandidate>, string]>([
    ['a victim of the same scale-down', { leaving: true }, 'leaving in this operation'],
    ['a terminating pod', { terminating: true }, 'terminating'],
    ['an unready pod', { ready: false }, 'not Ready'],
    ['a draining gateway', { health: 'draining' }, 'draining'],
    ['an unreachable gateway', { health: 'unreachable' }, 'health unreachable'],
    ['an unknown health', { health: 'unknown' }, 'health unknown'],
    ['an unknown count', { connections: { known: false, reason: 'timed out' } }, 'connection count unknown (timed out)'],
    ['no URL for direct sends', { url: undefined }, 'no WebSocket URL to send clients to'],
  ])('excludes %s, saying why', (_label, extra, why) => {
    const c = { ...candidate('x', 0), ...extra };
    if ('url' in extra && extra.url === undefined) delete c.url;
    expect(chooseReceivers([c], true)).toEqual({ receivers: [], excluded: [{ name: 'x', why }] });
  });
  it('accepts a pod without a readiness notion (static fleets) and needs no URL behind a load balancer', () => {
    const { url: _url, ready: _ready, ...bare } = candidate('vm-1', 3);
    expect(chooseReceivers([bare], false).receivers).toEqual([{ name: 'vm-1', connections: 3, free: Infinity }]);
  });
  it('computes the free room from the limit, never below zero', () => {
    const { receivers } = chooseReceivers([candidate('a', 10, { maxConnections: 25 }), candidate('b', 30, { maxConnections: 25 })], true);
    expect(receivers.map((r) => [r.name, r.free])).toEqual([['a', 15], ['b', 0]]);
  });
});

describe('allocate', () => {
  it('fills the least loaded first until loads are level, then alternates', () => {
    const share = allocate(10, [receiver('a', 10), receiver('b', 4)]);
    expect(Object.fromEntries(share)).toEqual({ a: 2, b: 8 });
  });
  it('levels by fraction of the limit when limits are known', () => {
    const share = allocate(30, [receiver('big', 0, 200), receiver('small', 0, 100)]);
    expect(Object.fromEntries(share)).toEqual({ big: 20, small: 10 });
  });
  it('never exceeds a receiver’s room and gives fewer when all are full', () => {
    const share = allocate(10, [receiver('a', 95, 100), receiver('b', 99, 100)]);
    expect(Object.fromEntries(share)).toEqual({ a: 5, b: 1 });
  });
  it('prefers receivers with a limit over those without one', () => {
    expect(Object.fromEntries(allocate(3, [receiver('free', 0), receiver('capped', 50, 100)]))).toEqual({ capped: 3 });
  });
  it('breaks ties by name, so the plan is deterministic', () => {
    expect(Object.fromEntries(allocate(1, [receiver('b', 0), receiver('a', 0)]))).toEqual({ a: 1 });
  });
  it('gives nothing to nobody', () => {
    expect(allocate(5, []).size).toBe(0);
    expect(allocate(0, [receiver('a', 0)]).size).toBe(0);
  });
});

describe('targetsFor', () => {
  it('lists each URL as many times as its share, interleaved so any prefix keeps the proportions', () => {
    const targets = targetsFor(new Map([['a', 4], ['b', 2]]), (n) => n);
    expect(targets.filter((t) => t === 'a')).toHaveLength(4);
    expect(targets.filter((t) => t === 'b')).toHaveLength(2);
    expect(targets.slice(0, 3).sort()).toEqual(['a', 'a', 'b']);
  });
});

describe('planMigration', () => {
  it('plans batches that sum to the count, each at most the batch size, spaced by the interval', () => {
    const plan = planMigration(input());
    expect(plan.verdict).toBe('proceed');
    expect(plan.toMove).toBe(1000);
    expect(plan.batches).toHaveLength(50);
    expect(plan.batches.reduce((sum, b) => sum + b.count, 0)).toBe(1000);
    expect(plan.batches.every((b) => b.count <= 20)).toBe(true);
    expect(plan.batches.map((b) => b.startsAtMs).slice(0, 3)).toEqual([0, 100, 200]);
    expect(plan.etaMs).toBe(49 * 100 + 30_000);
    expect(plan.free).toBe(1500 + 1300);
  });
  it('levels the receivers over the whole plan (the lighter one gets more)', () => {
    const plan = planMigration(input());
    const totals: Record<string, number> = {};
    for (const b of plan.batches) for (const [name, n] of Object.entries(b.shares)) totals[name] = (totals[name] ?? 0) + n;
    expect(totals).toEqual({ 'conduit-0': 600, 'conduit-1': 400 });
  });
  it('never sends a client to a victim of the same scale-down, a draining or an unready pod', () => {
    const plan = planMigration(
      input({
        candidates: [
          candidate('conduit-0', 10),
          candidate('conduit-1', 0, { leaving: true }),
          candidate('conduit-3', 0, { health: 'draining' }),
          candidate('conduit-4', 0, { ready: false }),
        ],
      }),
    );
    expect(plan.receivers.map((r) => r.name)).toEqual(['conduit-0']);
    expect(plan.batches.every((b) => Object.keys(b.shares).join() === 'conduit-0')).toBe(true);
    expect(plan.excluded.map((e) => e.name)).toEqual(['conduit-1', 'conduit-3', 'conduit-4']);
  });
  it('moves at most --count', () => {
    const plan = planMigration(input({ limit: 30 }));
    expect(plan.toMove).toBe(30);
    expect(plan.batches.map((b) => b.count)).toEqual([20, 10]);
  });
  it('has nothing to move from an empty source', () => {
    const plan = planMigration(input({ sourceCount: 0 }));
    expect(plan).toMatchObject({ verdict: 'nothing-to-move', toMove: 0, batches: [], etaMs: 0 });
  });
  it('proceeds when the room is exactly enough, refuses one connection short', () => {
    const fits = planMigration(input({ sourceCount: 100, candidates: [candidate('a', 900, { maxConnections: 1000 })] }));
    expect(fits.verdict).toBe('proceed');
    const short = planMigration(input({ sourceCount: 101, candidates: [candidate('a', 900, { maxConnections: 1000 })] }));
    expect(short.verdict).toBe('refused');
    expect(short.refusal).toBe('the receivers have room for 100 more connections (a 900/1000), 101 to move');
    expect(short.batches).toEqual([]);
  });
  it('refuses when every candidate is excluded, naming why', () => {
    const plan = planMigration(input({ candidates: [candidate('conduit-0', 0, { health: 'draining' })] }));
    expect(plan.verdict).toBe('refused');
    expect(plan.refusal).toBe('no instance can receive the clients (conduit-0: draining)');
  });
  it('refuses with no candidates at all', () => {
    expect(planMigration(input({ candidates: [] })).refusal).toBe('no instance can receive the clients');
  });
  it('has unlimited room when a receiver has no known limit', () => {
    const plan = planMigration(input({ sourceCount: 5000, candidates: [candidate('a', 0)] }));
    expect(plan).toMatchObject({ verdict: 'proceed', free: null });
  });
  it('behind a load balancer it still needs receivers, but not their URLs', () => {
    const { url: _u, ...bare } = candidate('a', 0, { maxConnections: 10 });
    expect(planMigration(input({ direct: false, sourceCount: 10, candidates: [bare] })).verdict).toBe('proceed');
    expect(planMigration(input({ direct: true, sourceCount: 10, candidates: [bare] })).verdict).toBe('refused');
  });
  it('keeps its invariants over many random fleets', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 300; round += 1) {
      const candidates = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, i) =>
        candidate(`r${i}`, Math.floor(random() * 100), { maxConnections: 50 + Math.floor(random() * 150), ...(random() < 0.2 ? { health: 'draining' as const } : {}) }),
      );
      const sourceCount = Math.floor(random() * 300);
      const batchSize = 1 + Math.floor(random() * 40);
      const plan = planMigration(input({ sourceCount, candidates, pacing: pacingOf({ batchSize, intervalMs: 100 }) }));
      if (plan.verdict === 'refused') {
        expect(plan.free === null ? Infinity : plan.free).toBeLessThan(sourceCount);
        continue;
      }
      const totals = new Map<string, number>();
      for (const b of plan.batches) {
        expect(b.count).toBeLessThanOrEqual(batchSize);
        for (const [name, n] of Object.entries(b.shares)) totals.set(name, (totals.get(name) ?? 0) + n);
      }
      expect([...totals.values()].reduce((a, b) => a + b, 0)).toBe(sourceCount);
      for (const r of plan.receivers) expect(totals.get(r.name) ?? 0).toBeLessThanOrEqual(r.free);
      for (const name of totals.keys()) expect(plan.receivers.some((r) => r.name === name)).toBe(true);
    }
  });
});
