// The pure half of `rebalance`: from the instances' counts, which to move from where so the busiest
// is within the tolerance of the mean. Clients move only from instances above the mean and only
// to instances below it; nobody is pushed past the mean either way.

import { computeSkew } from '../skew.js';

export interface Load {
  name: string;
  connections: number;
}

export interface RebalanceMove {
  source: string;
  count: number;
  /** Receiver name → how many it may take in this move (up to the mean). */
  receivers: Record<string, number>;
}

export interface RebalancePlan {
  mean: number;
  tolerance: number;
  /** max/mean now and after the moves; null for an empty fleet. */
  skewBefore: number | null;
  skewAfter: number | null;
  moves: RebalanceMove[];
  verdict: 'balanced' | 'proceed' | 'nothing-to-move';
}

export function planRebalance(loads: readonly Load[], tolerance: number): RebalancePlan {
  if (!(tolerance >= 0)) throw new RangeError(`tolerance must be ≥ 0, got ${tolerance}`);
  const counts = loads.map((l) => l.connections);
  const total = counts.reduce((a, b) => a + b, 0);
  const mean = loads.length ? total / loads.length : 0;
  const skewBefore = computeSkew(counts, 1 + tolerance).ratio;
  const base = { mean, tolerance, skewBefore };
  if (skewBefore === null || skewBefore <= 1 + tolerance) return { ...base, skewAfter: skewBefore, moves: [], verdict: 'balanced' };

  const high = Math.ceil(mean);
  const low = Math.floor(mean);
  const room = new Map(loads.filter((l) => l.connections < low).map((l) => [l.name, low - l.connections]));
  const after = new Map(loads.map((l) => [l.name, l.connections]));
  const moves: RebalanceMove[] = [];
  for (const source of [...loads].sort((a, b) => b.connections - a.connections || a.name.localeCompare(b.name))) {
    let excess = source.connections - high;
    if (excess <= 0) break;
    const receivers: Record<string, number> = {};
    let count = 0;
    for (const [name, free] of [...room].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
      if (excess === 0) break;
      const take = Math.min(free, excess);
      if (take === 0) continue;
      receivers[name] = take;
      room.set(name, free - take);
      after.set(name, after.get(name)! + take);
      excess -= take;
      count += take;
    }
    if (count === 0) continue;
    after.set(source.name, source.connections - count);
    moves.push({ source: source.name, count, receivers });
  }
  const skewAfter = computeSkew([...after.values()], 1 + tolerance).ratio;
  return { ...base, skewAfter, moves, verdict: moves.length ? 'proceed' : 'nothing-to-move' };
}
