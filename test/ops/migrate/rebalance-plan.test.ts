import { describe, expect, it } from 'vitest';
import { planRebalance } from '../../../src/ops/migrate/rebalance-plan.js';

const loads = (counts: Record<string, number>) => Object.entries(counts).map(([name, connections]) => ({ name, connections }));

describe('planRebalance', () => {
  it('after a 2 → 3 scale-up moves a third from each old instance onto the new one', () => {
    const plan = planRebalance(loads({ 'conduit-0': 1000, 'conduit-1': 1000, 'conduit-2': 0 }), 0.2);
    expect(plan.verdict).toBe('proceed');
    expect(plan.mean).toBeCloseTo(666.67, 1);
    expect(plan.skewBefore).toBeCloseTo(1.5);
    expect(plan.moves).toEqual([
      { source: 'conduit-0', count: 333, receivers: { 'conduit-2': 333 } },
      { source: 'conduit-1', count: 333, receivers: { 'conduit-2': 333 } },
    ]);
    expect(plan.skewAfter!).toBeLessThanOrEqual(1.2);
  });

  it('is balanced within the tolerance: nothing to move', () => {
    const plan = planRebalance(loads({ a: 110, b: 100, c: 90 }), 0.2);
    expect(plan).toMatchObject({ verdict: 'balanced', moves: [] });
  });

  it('never pushes a source below the mean nor a receiver above it', () => {
    const plan = planRebalance(loads({ a: 900, b: 500, c: 100, d: 100 }), 0.1);
    const after = new Map(loads({ a: 900, b: 500, c: 100, d: 100 }).map((l) => [l.name, l.connections]));
    for (const move of plan.moves) {
      after.set(move.source, after.get(move.source)! - move.count);
      for (const [name, n] of Object.entries(move.receivers)) after.set(name, after.get(name)! + n);
      expect(Object.values(move.receivers).reduce((x, y) => x + y, 0)).toBe(move.count);
    }
    for (const [name, n] of after) {
      const before = loads({ a: 900, b: 500, c: 100, d: 100 }).find((l) => l.name === name)!.connections;
      if (before > plan.mean) expect(n).toBeGreaterThanOrEqual(Math.floor(plan.mean));
      if (before < plan.mean) expect(n).toBeLessThanOrEqual(Math.ceil(plan.mean));
    }
    expect(plan.moves.map((m) => m.source)).toEqual(['a', 'b']);
    expect(plan.skewAfter!).toBeLessThanOrEqual(1.1);
  });

  it('has nothing to say about an empty or idle fleet', () => {
    expect(planRebalance([], 0.2).verdict).toBe('balanced');
    expect(planRebalance(loads({ a: 0, b: 0 }), 0.2)).toMatchObject({ verdict: 'balanced', skewBefore: null });
  });

  it('keeps its invariants over many random fleets', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 300; round += 1) {
      const counts = Object.fromEntries(Array.from({ length: 2 + Math.floor(random() * 6) }, (_, i) => [`i${i}`, Math.floor(random() * 1000)]));
      const plan = planRebalance(loads(counts), 0.2);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      const after = new Map(Object.entries(counts));
      for (const move of plan.moves) {
        after.set(move.source, after.get(move.source)! - move.count);
        for (const [name, n] of Object.entries(move.receivers)) after.set(name, after.get(name)! + n);
      }
      expect([...after.values()].reduce((a, b) => a + b, 0)).toBe(total);
      if (plan.verdict === 'proceed') expect(plan.skewAfter!).toBeLessThanOrEqual(1.2 + 1e-9 + (Object.keys(counts).length / Math.max(1, total)) * 2);
    }
  });

  it('refuses a negative tolerance', () => {
    expect(() => planRebalance(loads({ a: 1 }), -0.1)).toThrow(RangeError);
  });
});
