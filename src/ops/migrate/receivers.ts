// Which instances may receive moved clients, and how much room each has. A receiver is Ready,
// not draining, not terminating, not leaving in the same operation, answers its health check,
// has a known count (unknown is never room), and — when clients are sent to it directly — a
// WebSocket URL. Everything else is excluded with the reason, for the plan printed first.

import type { Count, HealthStatus } from '../ports/index.js';

export interface ReceiverCandidate {
  name: string;
  /** Its direct WebSocket URL (needed when clients are sent to pods, not through a load balancer). */
  url?: string;
  /** Kubernetes readiness; undefined where the backend has none. */
  ready?: boolean;
  terminating?: boolean;
  /** A victim of the same scale-down (or another source of this run): it is leaving too. */
  leaving?: boolean;
  health: HealthStatus;
  connections: Count;
  /** Connections it may hold (annotation or flag); undefined = no limit known. */
  maxConnections?: number;
}

export interface Receiver {
  name: string;
  url?: string;
  connections: number;
  maxConnections?: number;
  /** Room left: maxConnections − connections (never negative); Infinity without a limit. */
  free: number;
}

export interface Exclusion {
  name: string;
  why: string;
}

export function chooseReceivers(candidates: readonly ReceiverCandidate[], needUrl: boolean): { receivers: Receiver[]; excluded: Exclusion[] } {
  const receivers: Receiver[] = [];
  const excluded: Exclusion[] = [];
  for (const c of candidates) {
    const why = exclusionOf(c, needUrl);
    if (why !== undefined) {
      excluded.push({ name: c.name, why });
      continue;
    }
    const connections = (c.connections as { value: number }).value;
    receivers.push({
      name: c.name,
      ...(c.url !== undefined ? { url: c.url } : {}),
      connections,
      ...(c.maxConnections !== undefined ? { maxConnections: c.maxConnections } : {}),
      free: c.maxConnections === undefined ? Number.POSITIVE_INFINITY : Math.max(0, c.maxConnections - connections),
    });
  }
  return { receivers, excluded };
}

function exclusionOf(c: ReceiverCandidate, needUrl: boolean): string | undefined {
  if (c.leaving) return 'leaving in this operation';
  if (c.terminating) return 'terminating';
  if (c.ready === false) return 'not Ready';
  if (c.health === 'draining') return 'draining';
  if (c.health !== 'ok') return `health ${c.health}`;
  if (!c.connections.known) return `connection count unknown (${c.connections.reason})`;
  if (needUrl && !c.url) return 'no WebSocket URL to send clients to';
  return undefined;
}

/** Total room; Infinity when any receiver has no known limit. */
export function totalFree(receivers: readonly Receiver[]): number {
  return receivers.reduce((sum, r) => sum + r.free, 0);
}
