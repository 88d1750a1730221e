// The last look before the write (RELIABILITY rules 1 and 5, K13): every victim is read again
// DIRECTLY — it must still be the pod that was drained (same uid) and its count a known 0.

import type { Count, Fleet, GatewayAdmin, Instance } from '../ports/index.js';
import type { VictimPlan } from './plan-types.js';
import type { ScaleEvent } from './events.js';

export type VictimProblem =
  | { kind: 'not-zero'; instance: string; count: Count }
  /** Same name, new uid (or it came back): this is a new pod that was never drained. */
  | { kind: 'replaced'; instance: string; change: string }
  | { kind: 'unreadable'; instance: string; reason: string };

export interface ConfirmOptions {
  fleet: Fleet;
  gateway: GatewayAdmin;
  victims: readonly VictimPlan[];
  signal: AbortSignal;
  emit(event: ScaleEvent): void;
}

export async function confirmVictimsAtZero(o: ConfirmOptions): Promise<VictimProblem[]> {
  const problems = await Promise.all(o.victims.filter((v) => v.exists).map((v) => confirmOne(v, o)));
  return problems.filter((p): p is VictimProblem => p !== undefined);
}

async function confirmOne(victim: VictimPlan, o: ConfirmOptions): Promise<VictimProblem | undefined> {
  let current: Instance | undefined;
  try {
    current = await o.fleet.get(victim.name, o.signal);
  } catch (error) {
    o.signal.throwIfAborted();
    return { kind: 'unreadable', instance: victim.name, reason: error instanceof Error ? error.message : String(error) };
  }
  if (!current) return undefined; // gone: nothing left on it to lose
  if (victim.uid !== undefined && current.uid !== undefined && current.uid !== victim.uid) {
    return { kind: 'replaced', instance: victim.name, change: `uid ${victim.uid} → ${current.uid}` };
  }
  if (victim.terminating) return undefined; // already being removed by someone else; its grace period is running
  const count = await o.gateway.connections(current, o.signal);
  if (count.known && count.value === 0) {
    o.emit({ type: 'victim-zero-confirmed', instance: victim.name });
    return undefined;
  }
  o.emit({ type: 'victim-not-zero', instance: victim.name, count });
  return { kind: 'not-zero', instance: victim.name, count };
}

export function describeProblem(p: VictimProblem): string {
  switch (p.kind) {
    case 'not-zero':
      return p.count.known
        ? `${p.instance} held ${p.count.value} connection${p.count.value === 1 ? '' : 's'} at the final check`
        : `${p.instance}'s count was unknown at the final check (${p.count.reason})`;
    case 'replaced':
      return `${p.instance} was re-created (${p.change}): the new pod was never drained`;
    case 'unreadable':
      return `${p.instance} could not be re-read (${p.reason})`;
  }
}
