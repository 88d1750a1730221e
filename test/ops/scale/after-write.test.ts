import { describe, expect, it } from 'vitest';
import { TimeoutError } from '../../../src/ops/errors.js';
import { exitCodeOf, scaleWorld } from './support.js';

describe('scale: after the write', () => {
  it('pod re-created with the same name, new UID: the old pod counts as gone', async () => {
    const w = scaleWorld(3, { controller: 'manual' });
    const result = await w.run({
      onEvent: (e) => {
        if (e.type === 'written') w.fleet.recreate('conduit-2');
      },
    });
    expect(result.outcome).toBe('scaled');
    expect(w.events).toContainEqual({ type: 'terminated', instance: 'conduit-2', how: 'replaced' });
  });

  it('StatefulSet scale-down stalls behind an unready lower ordinal (OrderedReady): detected, blocker named, exit 4, nothing else touched', async () => {
    const w = scaleWorld(3, { controller: 'manual' });
    const result = await w.run({
      onEvent: (e) => {
        if (e.type === 'written') void w.kube.setReady('conduit-0', false);
      },
    });
    expect(result.outcome).toBe('stalled');
    expect(exitCodeOf(result)).toBe(4);
    expect(result.message).toContain('conduit-0');
    expect(result.message).toContain('conduit-2 still there');
    expect(result.hint).toContain('nothing else was touched');
    const mutations = w.kube.mutatingCalls.map((c) => c.op).filter((op) => !op.endsWith('Lease'));
    expect(mutations).toEqual(['setReplicas']);
    expect(w.gateway.callsOf('undrain')).toEqual([]);
  });

  it('without an unready lower ordinal a slow removal is a timeout, not a stall', async () => {
    const w = scaleWorld(3, { controller: 'manual' });
    const result = await w.run({ settings: { ...settings(), timeoutMs: 20_000 } });
    expect(result.outcome).toBe('timeout');
    expect(result.message).toContain('conduit-2 is still there');
    expect(result.written).toBe(true);
  });

  it('HPA reverts the scale after the write: re-read catches it (exit 5)', async () => {
    const w = scaleWorld(3, { controller: 'manual' });
    const result = await w.run({
      allowHpa: true,
      onEvent: (e) => {
        if (e.type === 'written') w.kube.scaleBy('hpa', 3);
      },
    });
    expect(result.outcome).toBe('conflict');
    expect(exitCodeOf(result)).toBe(5);
    expect(result.message).toContain('is now 3');
    expect(result.replicasNow).toBe(3);
  });

  it.each([
    ['unreachable', new Error('connect ECONNREFUSED 127.0.0.1:6443'), 'connect ECONNREFUSED'],
    ['reset', new Error('read ECONNRESET'), 'read ECONNRESET'],
    ['503', new TimeoutError('get pods conduit-2: the API server answered 503 ServiceUnavailable'), 'get pods conduit-2: the API server answered 503'],
  ])('API %s during a wait: state unknown, keep polling with backoff, exit 4 "state unknown" at the deadline', async (_cause, error, shown) => {
    const w = scaleWorld(3, { controller: 'manual' });
    const failedAt: number[] = [];
    const result = await w.run({
      settings: { ...settings(), timeoutMs: 30_000 },
      onEvent: (e) => {
        if (e.type === 'written') w.fleet.failGet('conduit-2', error);
        if (e.type === 'read-failed') failedAt.push(w.clock.now());
      },
    });
    expect(result.outcome).toBe('timeout');
    expect(exitCodeOf(result)).toBe(4);
    expect(result.message).toContain(`state unknown: ${shown}`);
    expect(w.events.some((e) => e.type === 'terminated')).toBe(false);
    expect(failedAt.length).toBeGreaterThan(1);
    // Backoff: never closer than half the poll interval, and growing well past it (cap 10×). The
    // last sleep is cut short by the deadline, so it is left out of the lower bound.
    const gaps = failedAt.slice(1).map((at, i) => at - failedAt[i]!);
    expect(Math.min(...gaps.slice(0, -1))).toBeGreaterThanOrEqual(settings().pollIntervalMs / 2);
    expect(Math.max(...gaps)).toBeGreaterThan(2 * settings().pollIntervalMs);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(10 * settings().pollIntervalMs);
  });

  it('SIGINT after the write: nothing undrained (the victims are going), state described', async () => {
    const w = scaleWorld(3, { controller: 'manual' });
    const result = await w.run({
      onEvent: (e) => {
        if (e.type === 'waiting') w.abort.abort(new Error('SIGINT'));
      },
    });
    expect(result.outcome).toBe('interrupted');
    expect(result.written).toBe(true);
    expect(result.message).toContain('is at 2');
    expect(w.gateway.callsOf('undrain')).toEqual([]);
  });
});

describe('scale up', () => {
  it('conditional write, then waits for the new pods to be Ready', async () => {
    const w = scaleWorld(3);
    const result = await w.run({ replicas: 5 });
    expect(result.outcome).toBe('scaled');
    expect(w.kube.callsOf('setReplicas').map((c) => c.detail)).toEqual([`conduit=5@${result.plan.resourceVersion}`]);
    expect(w.events.filter((e) => e.type === 'pod-ready').map((e) => (e as { instance: string }).instance)).toEqual(['conduit-3', 'conduit-4']);
    expect(w.gateway.callsOf('drain')).toEqual([]);
  });

  it('new pods never Ready: exit 4 naming them', async () => {
    const w = scaleWorld(3, { controller: 'manual' });
    const result = await w.run({ replicas: 4, settings: { ...settings(), timeoutMs: 5_000 } });
    expect(result.outcome).toBe('timeout');
    expect(exitCodeOf(result)).toBe(4);
    expect(result.message).toContain('conduit-3 is not Ready');
  });
});

function settings() {
  return { timeoutMs: 60_000, pollIntervalMs: 500, minDrainMs: 2_000, stableZeroPolls: 3, confirmTimeoutMs: 10_000, maxWriteAttempts: 5, stallAfterMs: 5_000, leaseDurationSeconds: 60 };
}
