// After the write of a scale-up: wait until every ordinal below the new size is Ready (and not
// terminating), re-reading the scale each poll to catch a revert.

import { backoffDelay } from '../../util/backoff.js';
import type { Deadline } from '../../util/deadline.js';
import { isAbortError } from '../../util/abort.js';
import type { Clock, StatefulSetInfo, Workloads } from '../ports/index.js';
import type { ScaleEvent } from './events.js';
import type { ScalePlan } from './plan-types.js';

export type WaitReadyResult =
  | { kind: 'ready' }
  | { kind: 'reverted'; replicas: number }
  | { kind: 'timeout'; pending: string[]; unknown?: string };

export interface WaitReadyOptions {
  workloads: Workloads;
  statefulSet: StatefulSetInfo;
  plan: ScalePlan;
  clock: Clock;
  deadline: Deadline;
  pollIntervalMs: number;
  signal: AbortSignal;
  emit(event: ScaleEvent): void;
}

export async function waitForNewPodsReady(o: WaitReadyOptions): Promise<WaitReadyResult> {
  const wanted = Array.from({ length: o.plan.requested }, (_, ordinal) => ordinal);
  const seenReady = new Set<string>();
  const startedAt = o.clock.now();
  let pending = wanted.map((ordinal) => `${o.plan.statefulSet}-${ordinal}`);
  let failedReads = 0;
  let readFailure: string | undefined;

  for (;;) {
    try {
      const pods = await o.workloads.podsOf(o.statefulSet, o.signal);
      const ready = new Set(pods.filter((p) => p.ready && !p.deletionTimestamp).map((p) => p.ordinal));
      pending = [];
      for (const ordinal of wanted) {
        const name = pods.find((p) => p.ordinal === ordinal)?.name ?? `${o.plan.statefulSet}-${ordinal}`;
        if (!ready.has(ordinal)) pending.push(name);
        else if (ordinal >= o.plan.current && !seenReady.has(name)) {
          seenReady.add(name);
          o.emit({ type: 'pod-ready', instance: name });
        }
      }
      if (pending.length === 0) return { kind: 'ready' };
      const scale = await o.workloads.getScale(o.plan.statefulSet, o.signal);
      if (scale.replicas !== o.plan.requested) return { kind: 'reverted', replicas: scale.replicas };
      failedReads = 0;
      readFailure = undefined;
    } catch (error) {
      if (isAbortError(error) || o.signal.aborted) throw error;
      failedReads++;
      readFailure = error instanceof Error ? error.message : String(error);
      o.emit({ type: 'read-failed', reason: readFailure });
    }
    if (o.deadline.expired()) return { kind: 'timeout', pending, ...(readFailure ? { unknown: readFailure } : {}) };
    o.emit({ type: 'waiting', phase: 'ready', pending, elapsedMs: o.clock.now() - startedAt });
    const delay = failedReads ? backoffDelay(failedReads - 1, o.pollIntervalMs, 10 * o.pollIntervalMs) : o.pollIntervalMs;
    await o.clock.sleep(Math.min(delay, o.deadline.remaining()), o.signal);
  }
}
