// Before a Kubernetes drain touches anything: the access it needs, and not draining the last
// Ready pod of a StatefulSet (RELIABILITY K17: clients would have nowhere to reconnect).

import type { Instance, Workloads } from '../ports/index.js';
import { accessChecksFor, deniedMessage } from '../access/index.js';
import type { ThenAction } from './settings.js';

export interface Refusal {
  message: string;
  hint?: string;
}

export async function checkAccessForDrain(workloads: Workloads, then: ThenAction, signal: AbortSignal): Promise<Refusal[]> {
  const denied = await workloads.denied(accessChecksFor({ operation: 'drain', then }), signal);
  return denied.map((check) => ({ message: deniedMessage(check), hint: 'see the least-privilege Role in docs/rbac.md' }));
}

/** The StatefulSet a pod belongs to, by the name-ordinal convention. */
export function statefulSetNameOf(pod: Instance): string | undefined {
  if (pod.ordinal === undefined) return undefined;
  const suffix = `-${pod.ordinal}`;
  return pod.name.endsWith(suffix) ? pod.name.slice(0, -suffix.length) : undefined;
}

export async function checkNotLastReady(workloads: Workloads, pods: readonly Instance[], allowLast: boolean, signal: AbortSignal): Promise<Refusal[]> {
  if (allowLast) return [];
  const draining = new Set(pods.map((p) => p.name));
  const groups = new Map<string, Instance[]>();
  for (const pod of pods) {
    const owner = statefulSetNameOf(pod);
    if (owner) groups.set(owner, [...(groups.get(owner) ?? []), pod]);
  }
  const refusals: Refusal[] = [];
  for (const [name, members] of groups) {
    const statefulSet = await workloads.getStatefulSet(name, signal);
    if (!statefulSet) continue;
    const all = await workloads.podsOf(statefulSet, signal);
    const servingAfter = all.filter((p) => p.ready && !p.deletionTimestamp && !draining.has(p.name));
    if (servingAfter.length > 0) continue;
    const names = members.map((m) => m.name).join(', ');
    refusals.push({
      message: `${names} ${members.length === 1 ? 'is the last Ready pod' : 'are the last Ready pods'} of statefulset ${name}: once drained, clients have nowhere to reconnect`,
      hint: 'scale up first, or pass --allow-last if an outage is acceptable',
    });
  }
  return refusals;
}
