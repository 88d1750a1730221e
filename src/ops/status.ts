// `conduitctl status`: health and connection count of every instance, queried concurrently
// (bounded), with totals and the skew. Unknown counts are reported, never added as 0.

import { mapLimited } from '../util/concurrency.js';
import type { Count, Fleet, GatewayAdmin, Health, Instance, Target } from './ports/index.js';
import { computeSkew, type Skew } from './skew.js';

export const DEFAULT_STATUS_CONCURRENCY = 32;

export interface StatusOptions {
  fleet: Fleet;
  gateway: GatewayAdmin;
  target: Target;
  /** Instances queried at once (each with its health and count requests in parallel). Default 32. */
  concurrency?: number;
  signal?: AbortSignal;
}

export interface InstanceStatus {
  instance: Instance;
  health: Health;
  connections: Count;
}

export interface StatusTotals {
  instances: number;
  ok: number;
  draining: number;
  unreachable: number;
  unknownHealth: number;
  /** Sum of the KNOWN counts. */
  connections: number;
  /** How many instances have an unknown count. */
  unknownCounts: number;
}

export interface StatusReport {
  /** Same order as fleet.resolve. */
  instances: InstanceStatus[];
  totals: StatusTotals;
  skew: Skew;
}

export async function getStatus(o: StatusOptions): Promise<StatusReport> {
  const concurrency = o.concurrency ?? DEFAULT_STATUS_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`status concurrency must be a positive integer, got ${concurrency}`);
  }
  o.signal?.throwIfAborted();
  const instances = await o.fleet.resolve(o.target, o.signal);
  const rows = await mapLimited(instances, concurrency, async (instance): Promise<InstanceStatus> => {
    o.signal?.throwIfAborted();
    const [health, connections] = await Promise.all([o.gateway.health(instance, o.signal), o.gateway.connections(instance, o.signal)]);
    return { instance, health, connections };
  });
  return { instances: rows, totals: totalsOf(rows), skew: computeSkew(knownCounts(rows)) };
}

function knownCounts(rows: readonly InstanceStatus[]): number[] {
  return rows.flatMap((row) => (row.connections.known ? [row.connections.value] : []));
}

function totalsOf(rows: readonly InstanceStatus[]): StatusTotals {
  const healthIs = (status: Health['status']) => rows.filter((row) => row.health.status === status).length;
  const known = knownCounts(rows);
  return {
    instances: rows.length,
    ok: healthIs('ok'),
    draining: healthIs('draining'),
    unreachable: healthIs('unreachable'),
    unknownHealth: healthIs('unknown'),
    connections: known.reduce((sum, n) => sum + n, 0),
    unknownCounts: rows.length - known.length,
  };
}
