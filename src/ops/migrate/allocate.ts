// Who gets how many of a batch: water-filling, so each client goes to the receiver with the lowest
// load after what it was already given (load = fraction of its limit, or its count without one),
// never past a receiver's free room. The targets list then interleaves the URLs in those
// proportions, because the gateway assigns targets round-robin over the list.

import type { Receiver } from './receivers.js';

export type Allocation = Map<string, number>;

/** Split `count` over the receivers; fewer when their room runs out. Ties go by name. */
export function allocate(count: number, receivers: readonly Receiver[]): Allocation {
  const given = new Map<string, number>(receivers.map((r) => [r.name, 0]));
  const load = (r: Receiver) => {
    const after = r.connections + given.get(r.name)!;
    return r.maxConnections === undefined ? after : after / r.maxConnections;
  };
  const hasLimits = receivers.some((r) => r.maxConnections !== undefined);
  for (let i = 0; i < count; i += 1) {
    let best: Receiver | undefined;
    for (const r of receivers) {
      if (given.get(r.name)! >= r.free) continue;
      // Mixed limits compare unlimited receivers by count: they are chosen only after the rest.
      if (!best || better(r, best, load, hasLimits)) best = r;
    }
    if (!best) break;
    given.set(best.name, given.get(best.name)! + 1);
  }
  for (const [name, n] of given) if (n === 0) given.delete(name);
  return given;
}

function better(a: Receiver, b: Receiver, load: (r: Receiver) => number, hasLimits: boolean): boolean {
  if (hasLimits && (a.maxConnections === undefined) !== (b.maxConnections === undefined)) return a.maxConnections !== undefined;
  const la = load(a);
  const lb = load(b);
  return la < lb || (la === lb && a.name < b.name);
}

export function allocated(allocation: Allocation): number {
  let total = 0;
  for (const n of allocation.values()) total += n;
  return total;
}

/**
 * The targets list for one batch: each receiver's URL as many times as its share, interleaved
 * (smooth weighted round-robin) so a partial batch keeps the proportions.
 */
export function targetsFor(allocation: Allocation, urlOf: (name: string) => string): string[] {
  const entries = [...allocation].map(([name, weight]) => ({ name, weight, current: 0 }));
  const total = allocated(allocation);
  const targets: string[] = [];
  for (let i = 0; i < total; i += 1) {
    for (const e of entries) e.current += e.weight;
    let pick = entries[0]!;
    for (const e of entries) if (e.current > pick.current) pick = e;
    pick.current -= total;
    targets.push(urlOf(pick.name));
  }
  return targets;
}
