// How controllers read a pod's state, as kube-controller-manager's podutil helpers do.
import type { KubeObject } from '../kube-sim/store.js';

export function podCondition(pod: KubeObject, type: string): { status?: string } | undefined {
  const conditions = (pod.status?.conditions ?? []) as { type: string; status?: string }[];
  return conditions.find((c) => c.type === type);
}

export const isTerminating = (pod: KubeObject): boolean => pod.metadata.deletionTimestamp !== undefined;

export const isReady = (pod: KubeObject): boolean => podCondition(pod, 'Ready')?.status === 'True';

export const isRunningAndReady = (pod: KubeObject): boolean => pod.status?.phase === 'Running' && isReady(pod);

export const isFailed = (pod: KubeObject): boolean => pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';

/** Healthy for a StatefulSet's ordered steps: running, ready and not on its way out. */
export const isHealthy = (pod: KubeObject): boolean => isRunningAndReady(pod) && !isTerminating(pod);

export function isOwnedBy(pod: KubeObject, owner: KubeObject): boolean {
  return (pod.metadata.ownerReferences ?? []).some((ref) => ref.controller && ref.uid === owner.metadata.uid);
}
