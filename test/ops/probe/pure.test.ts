import { describe, expect, it } from 'vitest';
import type { RolloutState } from '../../../src/ops/ports/index.js';
import { restartedAtValue, rolloutComplete, summarizeLatencies } from '../../../src/ops/probe/index.js';
import { MAX_TIMELINE_POINTS, Timeline } from '../../../src/ops/probe/timeline.js';
import { emptySnapshot } from '../../support/fakes/index.js';

const done: RolloutState = {
  name: 'conduit', generation: 4, observedGeneration: 4, replicas: 2, readyReplicas: 2, updatedReplicas: 2, currentRevision: 'b', updateRevision: 'b',
  pods: [{ name: 'conduit-0', revision: 'b', ready: true, terminating: false }, { name: 'conduit-1', revision: 'b', ready: true, terminating: false }],
};

describe('rolloutComplete', () => {
  it('needs the observed generation, the update revision everywhere, every pod Ready and none terminating', () => {
    expect(rolloutComplete(done)).toBe(true);
    expect(rolloutComplete(done, 5)).toBe(false);
    expect(rolloutComplete({ ...done, observedGeneration: 3 })).toBe(false);
    expect(rolloutComplete({ ...done, currentRevision: 'a' })).toBe(false);
    expect(rolloutComplete({ ...done, readyReplicas: 1 })).toBe(false);
    expect(rolloutComplete({ ...done, pods: [done.pods[0]!, { ...done.pods[1]!, revision: 'a' }] })).toBe(false);
    expect(rolloutComplete({ ...done, pods: [done.pods[0]!, { ...done.pods[1]!, ready: false }] })).toBe(false);
    expect(rolloutComplete({ ...done, pods: [...done.pods, { name: 'conduit-1', revision: 'a', ready: true, terminating: true }] })).toBe(false);
    expect(rolloutComplete({ ...done, pods: [done.pods[0]!] })).toBe(false);
  });
});

describe('restartedAtValue', () => {
  it('is RFC 3339 in whole seconds, as kubectl writes it', () => {
    expect(restartedAtValue(Date.UTC(2026, 11, 1, 1, 2, 3, 456))).toBe('2026-12-01T01:02:03Z');
  });
});

describe('summarizeLatencies', () => {
  it('nearest-rank percentiles; nothing measured is null, not 0', () => {
    expect(summarizeLatencies([])).toEqual({ count: 0, p50: null, p95: null, p99: null, max: null });
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarizeLatencies(hundred)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  });
});

describe('Timeline', () => {
  it('one point per second: open at its end, closes during it, connections between a close and a hello', () => {
    const timeline = new Timeline();
    const at = (elapsedMs: number, open: number, closes: number, everOpened = 10) => timeline.record({ ...emptySnapshot(10), elapsedMs, open, closes, everOpened });
    at(0, 0, 0, 0);
    at(1_000, 10, 0);
    at(2_000, 7, 3);
    at(2_500, 8, 4);
    at(3_000, 10, 4);
    expect(timeline.result().points).toEqual([
      { atSeconds: 0, open: 0, closing: 0, reconnecting: 0 },
      { atSeconds: 1, open: 10, closing: 0, reconnecting: 0 },
      { atSeconds: 2, open: 8, closing: 4, reconnecting: 3 },
      { atSeconds: 3, open: 10, closing: 0, reconnecting: 0 },
    ]);
  });

  it('stays bounded on a long run by merging neighbours', () => {
    const timeline = new Timeline();
    for (let s = 0; s <= MAX_TIMELINE_POINTS * 3; s++) timeline.record({ ...emptySnapshot(1), elapsedMs: s * 1_000, open: 1, everOpened: 1, closes: s });
    const { bucketSeconds, points } = timeline.result();
    expect(points.length).toBeLessThanOrEqual(MAX_TIMELINE_POINTS);
    expect(bucketSeconds).toBe(4);
    expect(points.reduce((sum, p) => sum + p.closing, 0)).toBe(MAX_TIMELINE_POINTS * 3);
  });
});
