// The pure half of a migration: from the source's count, the receiver candidates, the pacing and
// the reconnect window, the batches (each with its share per receiver), and the ETA — or a
// refusal when the receivers cannot absorb the clients. The executor re-plans each batch from
// fresh counts with the same functions; this whole plan is what is printed before anything moves.

import { allocate, allocated, type Allocation } from './allocate.js';
import type { Pacing } from './pacing.js';
import { chooseReceivers, totalFree, type Exclusion, type Receiver, type ReceiverCandidate } from './receivers.js';
import type { ReconnectWindow } from './reconnect-window.js';

export interface MigrationPlanInput {
  source: string;
  /** The source's open connections now (known; the caller refuses an unknown count). */
  sourceCount: number;
  /** Move at most this many (--count); default: all of them. */
  limit?: number;
  candidates: readonly ReceiverCandidate[];
  /** Clients are told the receivers' own URLs (--to) rather than a load balancer's. */
  direct: boolean;
  pacing: Pacing;
  window: ReconnectWindow;
}

export interface PlannedBatch {
  /** 1-based. */
  index: number;
  count: number;
  /** ms after the first batch. */
  startsAtMs: number;
  /** Receiver name → clients sent there (through a load balancer: where they are expected to land). */
  shares: Record<string, number>;
}

export type MigrationVerdict = 'proceed' | 'nothing-to-move' | 'refused';

export interface MigrationPlan {
  source: string;
  sourceCount: number;
  toMove: number;
  direct: boolean;
  receivers: Receiver[];
  excluded: Exclusion[];
  /** Room on the receivers; null when some receiver has no known limit. */
  free: number | null;
  pacing: Pacing;
  window: ReconnectWindow;
  batches: PlannedBatch[];
  /** Until the last batch is sent, plus the reconnect window's end: when the last client should be back. */
  etaMs: number;
  verdict: MigrationVerdict;
  refusal?: string;
}

export function planMigration(input: MigrationPlanInput): MigrationPlan {
  if (!Number.isSafeInteger(input.sourceCount) || input.sourceCount < 0) throw new RangeError(`sourceCount must be a count, got ${input.sourceCount}`);
  const toMove = Math.min(input.sourceCount, input.limit ?? Number.POSITIVE_INFINITY);
  const { receivers, excluded } = chooseReceivers(input.candidates, input.direct);
  const free = totalFree(receivers);
  const base = {
    source: input.source,
    sourceCount: input.sourceCount,
    toMove,
    direct: input.direct,
    receivers,
    excluded,
    free: Number.isFinite(free) ? free : null,
    pacing: input.pacing,
    window: input.window,
  };
  if (toMove === 0) return { ...base, batches: [], etaMs: 0, verdict: 'nothing-to-move' };
  const refusal = refusalOf(toMove, receivers, excluded, free);
  if (refusal) return { ...base, batches: [], etaMs: 0, verdict: 'refused', refusal };

  const batches = batchesOf(toMove, receivers, input.pacing);
  const lastStart = batches.at(-1)!.startsAtMs;
  return { ...base, batches, etaMs: lastStart + input.window.maxMs, verdict: 'proceed' };
}

function refusalOf(toMove: number, receivers: readonly Receiver[], excluded: readonly Exclusion[], free: number): string | undefined {
  if (receivers.length === 0) {
    const why = excluded.map((e) => `${e.name}: ${e.why}`).join('; ');
    return `no instance can receive the clients${why ? ` (${why})` : ''}`;
  }
  if (free < toMove) {
    return `the receivers have room for ${free} more connection${free === 1 ? '' : 's'} (${receivers.map((r) => `${r.name} ${r.connections}/${r.maxConnections}`).join(', ')}), ${toMove} to move`;
  }
  return undefined;
}

/** Split into batches of pacing.batchSize, each allocated as if the earlier ones had landed. */
function batchesOf(toMove: number, receivers: readonly Receiver[], pacing: Pacing): PlannedBatch[] {
  let projected = receivers.map((r) => ({ ...r }));
  const batches: PlannedBatch[] = [];
  for (let moved = 0, index = 1; moved < toMove; index += 1) {
    const share = allocate(Math.min(pacing.batchSize, toMove - moved), projected);
    const count = allocated(share);
    if (count === 0) break;
    batches.push({ index, count, startsAtMs: (index - 1) * pacing.intervalMs, shares: Object.fromEntries(share) });
    projected = landed(projected, share);
    moved += count;
  }
  return batches;
}

/** The receivers as they will be once an allocation has reconnected. */
export function landed(receivers: readonly Receiver[], share: Allocation): Receiver[] {
  return receivers.map((r) => {
    const n = share.get(r.name) ?? 0;
    return { ...r, connections: r.connections + n, free: r.free - n };
  });
}
