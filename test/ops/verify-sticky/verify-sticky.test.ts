import { describe, expect, it } from 'vitest';
import type { Clock, Sample, StickyClient, StickyClientSpec, StickySampler } from '../../../src/ops/ports/index.js';
import { verifySticky, type VerifyStickyEvent, type VerifyStickyOptions } from '../../../src/ops/verify-sticky/index.js';
import { answered, target } from './samples.js';

const clock: Clock = { now: () => 0, wallNow: () => 0, sleep: async () => {} };

/** A port fake: client i is answered by instances[(i - 1) % n]; records what the op asked for. */
class FakeSampler implements StickySampler {
  opened: StickyClientSpec[] = [];
  closed: number[] = [];
  inFlight = 0;
  maxInFlight = 0;
  perClientInFlight = new Map<number, number>();
  maxPerClient = 0;

  constructor(
    private readonly answer: (spec: StickyClientSpec, request: number) => Sample,
    private readonly onSample: (spec: StickyClientSpec, request: number) => void = () => {},
  ) {}

  describe() {
    return target;
  }

  openClient(spec: StickyClientSpec): StickyClient {
    this.opened.push(spec);
    let request = 0;
    return {
      sample: async (signal) => {
        signal?.throwIfAborted();
        request++;
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        const mine = (this.perClientInFlight.get(spec.id) ?? 0) + 1;
        this.perClientInFlight.set(spec.id, mine);
        this.maxPerClient = Math.max(this.maxPerClient, mine);
        await new Promise((resolve) => setImmediate(resolve));
        this.onSample(spec, request);
        this.inFlight--;
        this.perClientInFlight.set(spec.id, mine - 1);
        return this.answer(spec, request);
      },
      close: async () => {
        this.closed.push(spec.id);
      },
    };
  }
}

/** mulberry32: a deterministic random source for the shuffle. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const options = (extra: Partial<VerifyStickyOptions> = {}): VerifyStickyOptions => ({
  requests: 5,
  clients: 6,
  sourceAddresses: [],
  concurrency: 2,
  tolerance: 0.2,
  ...extra,
});

describe('verifySticky', () => {
  it('runs K clients × N requests in rounds, bounded, each client one request at a time, and closes every client', async () => {
    const sampler = new FakeSampler((spec) => answered(`gw-${(spec.id - 1) % 3}`));
    const events: VerifyStickyEvent[] = [];
    const report = await verifySticky(options(), sampler, clock, new AbortController().signal, (e) => events.push(e));
    expect(report.verdict).toBe('STICKY');
    expect(report.totals).toMatchObject({ clients: 6, requests: 30, answered: 30 });
    expect(sampler.maxInFlight).toBeLessThanOrEqual(2);
    expect(sampler.maxPerClient).toBe(1);
    expect(sampler.closed.sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events[0]).toEqual({ type: 'started', clients: 6, requests: 5, total: 30 });
    const sampled = events.filter((e) => e.type === 'sampled');
    expect(sampled).toHaveLength(30);
    expect(sampled.at(-1)).toMatchObject({ completed: 30, total: 30 });
  });

  it('gives client i the i-th source address, cycling when there are fewer addresses than clients', async () => {
    const sampler = new FakeSampler(() => answered('gw-0'));
    await verifySticky(options({ clients: 3, sourceAddresses: ['127.0.1.1', '127.0.2.1'] }), sampler, clock, new AbortController().signal);
    expect(sampler.opened.sort((a, b) => a.id - b.id)).toEqual([
      { id: 1, sourceAddress: '127.0.1.1' },
      { id: 2, sourceAddress: '127.0.2.1' },
      { id: 3, sourceAddress: '127.0.1.1' },
    ]);
  });

  it('finds the move of a round-robin balancer', async () => {
    let turn = 0;
    const sampler = new FakeSampler(() => answered(`gw-${turn++ % 3}`));
    const report = await verifySticky(options({ clients: 1 }), sampler, clock, new AbortController().signal);
    expect(report.verdict).toBe('NOT STICKY');
    expect(report.firstMove).toEqual({ client: 1, request: 2, from: 'gw-0', to: 'gw-1' });
  });

  it('shuffles each round, so lockstep clients cannot fool a round-robin balancer into looking sticky', async () => {
    let turn = 0;
    const order: number[][] = [];
    const sampler = new FakeSampler((spec, request) => {
      (order[request - 1] ??= []).push(spec.id);
      return answered(`gw-${turn++ % 3}`);
    });
    const report = await verifySticky(options({ clients: 3, requests: 8, concurrency: 3, random: seeded(7) }), sampler, clock, new AbortController().signal);
    expect(new Set(order.map((round) => round.join(','))).size).toBeGreaterThan(1);
    expect(report.verdict).toBe('NOT STICKY');
  });

  it('stops on abort and reports what it sampled as interrupted', async () => {
    const controller = new AbortController();
    const sampler = new FakeSampler(
      () => answered('gw-0'),
      (_spec, request) => {
        if (request === 3) controller.abort();
      },
    );
    const report = await verifySticky(options({ clients: 1, requests: 10 }), sampler, clock, controller.signal);
    expect(report.interrupted).toBe(true);
    expect(report.totals.requests).toBe(3);
    expect(sampler.closed).toEqual([1]);
  });
});
