// After the write of a scale-up: wait until every ordinal below the new size is Ready (and not
// terminating), re-reading the scale each poll to catch a revert.

import type { Deadline } from '../../util/deadline.js';
import { pollUntilDeadline } from '../poll/index.js';
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

  const result = await pollUntilDeadline<WaitReadyResult>({
    clock: o.clock,
    deadline: o.deadline,
    signal: o.signal,
    intervalMs: o.pollIntervalMs,
    async look() {
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
      return scale.replicas !== o.plan.requested ? { kind: 'reverted', replicas: scale.replicas } : undefined;
    },
    onReadFailed: (reason) => o.emit({ type: 'read-failed', reason }),
    onWait: () => o.emit({ type: 'waiting', phase: 'ready', pending, elapsedMs: o.clock.now() - startedAt }),
  });
  return result.kind === 'done' ? result.value : { kind: 'timeout', pending, ...(result.unknown ? { unknown: result.unknown } : {}) };
}
