// After the write of a scale-down: watch the victims go. Gone = NotFound or the name now belongs
// to a new pod (new uid) — kubectl's waitForDelete rule. Each poll also re-reads the scale to catch
// a revert (an HPA), and under OrderedReady notices a stall: the controller removes nothing while
// a lower ordinal is unready (RELIABILITY K12) — reported, nothing else touched.

import { pollUntilDeadline } from '../poll/index.js';
import type { Fleet } from '../ports/index.js';
import { goneHow } from '../removal/index.js';
import type { WaitReadyOptions } from './wait-ready.js';

export type WaitGoneResult =
  | { kind: 'gone' }
  | { kind: 'reverted'; replicas: number }
  | { kind: 'stalled'; pending: string[]; blockers: string[] }
  /** At the deadline; `unknown` is set when the last reads failed (state unknown). */
  | { kind: 'timeout'; pending: string[]; unknown?: string };

/** What the wait after a scale-down needs beyond the wait after a scale-up. */
export interface WaitGoneOptions extends WaitReadyOptions {
  fleet: Fleet;
  stallAfterMs: number;
}

export async function waitForVictimsGone(o: WaitGoneOptions): Promise<WaitGoneResult> {
  const pending = new Map(o.plan.victims.filter((v) => v.exists).map((v) => [v.name, v.uid] as const));
  const terminatingSeen = new Set(o.plan.victims.filter((v) => v.terminating).map((v) => v.name));
  const startedAt = o.clock.now();
  let lastProgressAt = startedAt;
  let blockers: string[] = [];

  const result = await pollUntilDeadline<WaitGoneResult>({
    clock: o.clock,
    deadline: o.deadline,
    signal: o.signal,
    intervalMs: o.pollIntervalMs,
    async look() {
      blockers = [];
      const before = pending.size + terminatingSeen.size;
      await pollVictims(o, pending, terminatingSeen);
      if (pending.size + terminatingSeen.size !== before || pending.size === 0) lastProgressAt = o.clock.now();
      if (pending.size === 0) return { kind: 'gone' };
      const scale = await o.workloads.getScale(o.plan.statefulSet, o.signal);
      if (scale.replicas !== o.plan.requested) return { kind: 'reverted', replicas: scale.replicas };
      blockers = await orderedReadyBlockers(o);
      return undefined;
    },
    onReadFailed: (reason) => o.emit({ type: 'read-failed', reason }),
    judge: () =>
      blockers.length && o.clock.now() - lastProgressAt >= o.stallAfterMs ? { kind: 'stalled', pending: [...pending.keys()], blockers } : undefined,
    onWait: () =>
      o.emit({
        type: 'waiting',
        phase: 'terminate',
        pending: [...pending.keys()],
        elapsedMs: o.clock.now() - startedAt,
        ...(blockers.length ? { detail: `waiting behind unready ${blockers.join(', ')}` } : {}),
      }),
  });
  return result.kind === 'done' ? result.value : { kind: 'timeout', pending: [...pending.keys()], ...(result.unknown ? { unknown: result.unknown } : {}) };
}

async function pollVictims(o: WaitGoneOptions, pending: Map<string, string | undefined>, terminatingSeen: Set<string>): Promise<void> {
  const reads = await Promise.all([...pending].map(async ([name, uid]) => [name, uid, await o.fleet.get(name, o.signal)] as const));
  for (const [name, uid, current] of reads) {
    const how = goneHow(uid, current);
    if (how) {
      pending.delete(name);
      terminatingSeen.delete(name);
      o.emit({ type: 'terminated', instance: name, how });
    } else if (current?.deletionTimestamp) {
      terminatingSeen.add(name);
    }
  }
}

/** Under OrderedReady the controller deletes nothing while a lower ordinal is unready. */
async function orderedReadyBlockers(o: WaitGoneOptions): Promise<string[]> {
  if (o.plan.podManagementPolicy !== 'OrderedReady') return [];
  const pods = await o.workloads.podsOf(o.statefulSet, o.signal);
  return pods
    .filter((p) => p.ordinal !== undefined && p.ordinal < o.plan.requested && (p.ready === false || !!p.deletionTimestamp))
    .map((p) => p.name);
}
