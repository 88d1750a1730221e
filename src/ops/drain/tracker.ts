// The mutable record one instance's drain loop keeps, and its translation into the result.

import type { Count, Instance } from '../ports/index.js';
import type { InstanceDrainResult, InstanceDrainState } from './result.js';

export type DrainPhase = 'requesting' | 'confirming' | 'waiting' | 'done';

export interface InstanceTracker {
  /** The instance as it was when the run started: its uid and restarts are the baseline. */
  readonly instance: Instance;
  phase: DrainPhase;
  /** Set when phase is 'done'; otherwise derived at the end (see finalState). */
  state?: InstanceDrainState;
  lastCount: Count;
  /** The latest count that was known (for dropped-connection reports and the rate). */
  lastKnownCount: number | null;
  zeroStreak: number;
  /** Monotonic time /health was first seen saying draining. */
  drainingSince: number | null;
  drainedByThisRun: boolean;
  undrained: boolean;
  /** Connections were (or may have been) dropped: a restart, or gone while not at 0. */
  dropped: boolean;
  /** How many, as last known before it happened (null: unknown). Set with `dropped`. */
  droppedConnections?: number | null;
  /** The gateway's boot id as first seen in a count (when it offers one): the baseline for restarts. */
  bootId?: string;
  detail?: string;
}

export function newTracker(instance: Instance): InstanceTracker {
  return {
    instance,
    phase: 'requesting',
    lastCount: { known: false, reason: 'not polled yet' },
    lastKnownCount: null,
    zeroStreak: 0,
    drainingSince: null,
    drainedByThisRun: false,
    undrained: false,
    dropped: false,
  };
}

export function recordCount(t: InstanceTracker, count: Count): void {
  t.lastCount = count;
  if (count.known) t.lastKnownCount = count.value;
}

export function finish(t: InstanceTracker, state: InstanceDrainState, detail?: string): void {
  t.phase = 'done';
  t.state = state;
  if (detail !== undefined) t.detail = detail;
}

/** The state of an instance whose loop stopped before it finished (deadline, interrupt, failure). */
export function finalState(t: InstanceTracker): InstanceDrainState {
  if (t.state) return t.state;
  if (t.phase !== 'waiting') return 'not-draining';
  return t.lastCount.known ? 'waiting' : 'unknown';
}

export function toResult(t: InstanceTracker): InstanceDrainResult {
  const state = finalState(t);
  const detail = t.detail ?? unfinishedDetail(t, state);
  return {
    name: t.instance.name,
    state,
    lastCount: t.lastCount,
    drainedByThisRun: t.drainedByThisRun,
    undrained: t.undrained,
    ...(t.dropped ? { droppedConnections: t.droppedConnections ?? null } : {}),
    ...(detail !== undefined ? { detail } : {}),
  };
}

function unfinishedDetail(t: InstanceTracker, state: InstanceDrainState): string | undefined {
  if (state === 'unknown' && !t.lastCount.known) return `count unknown (${t.lastCount.reason}): not counted as drained`;
  if (state === 'waiting' && t.lastCount.known) {
    return t.lastCount.value === 0
      ? `0 connections, not yet a stable zero (${t.zeroStreak} zero poll${t.zeroStreak === 1 ? '' : 's'} in a row)`
      : `${t.lastCount.value} connection${t.lastCount.value === 1 ? '' : 's'} left`;
  }
  return undefined;
}
