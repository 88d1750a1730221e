import { computeSkew } from '../skew.js';
import type { ClientSummary, FleetInstance, FleetSpread } from './report.js';

/** The instance that answered a client most often (the first of equals): where it "lives". */
export function homeOf(client: ClientSummary): string | undefined {
  let best: { name: string; count: number } | undefined;
  for (const entry of client.instances) if (!best || entry.count > best.count) best = entry;
  return best?.name;
}

/**
 * How the clients spread over the fleet: clients per instance and the skew max/mean. A split that
 * is as even as whole clients allow (4 clients over 3 instances: 2/1/1) is never called uneven.
 */
export function measureSpread(clients: readonly ClientSummary[], tolerance: number, expectedInstances?: number): FleetSpread {
  const byName = new Map<string, FleetInstance>();
  for (const client of clients) {
    for (const { name, count } of client.instances) {
      const entry = byName.get(name) ?? { name, clients: 0, answers: 0 };
      entry.answers += count;
      byName.set(name, entry);
    }
    const home = homeOf(client);
    if (home) byName.get(home)!.clients++;
  }
  const instances = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const housed = instances.reduce((sum, i) => sum + i.clients, 0);
  const slots = Math.max(instances.length, expectedInstances ?? 0);
  const counts = [...instances.map((i) => i.clients), ...Array<number>(slots - instances.length).fill(0)];
  const skew = housed >= 2 ? computeSkew(counts, 1 + tolerance).ratio : null;
  const mean = slots > 0 ? housed / slots : 0;
  const max = Math.max(0, ...counts);
  const uneven = skew !== null && skew > 1 + tolerance && max > Math.ceil(mean);
  return { instances, expectedInstances: expectedInstances ?? null, skew, tolerance, uneven };
}
