// PodDisruptionBudget arithmetic (as the disruption controller computes it) and the controller
// that keeps every PDB's status current as pods, StatefulSets and PDBs change.

import { matchesLabels, requirementsFromSpec } from './selectors.js';
import type { KubeObject, KubeStore } from './store.js';

export interface BudgetState {
  expectedPods: number;
  currentHealthy: number;
  desiredHealthy: number;
  disruptionsAllowed: number;
}

/** Ready and not terminating: what counts towards a budget. */
export function isHealthy(pod: KubeObject): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const conditions = (pod.status?.conditions ?? []) as { type: string; status: string }[];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

export function budgetSelects(pdb: KubeObject, pod: KubeObject): boolean {
  return pdb.metadata.namespace === pod.metadata.namespace && matchesLabels(requirementsFromSpec(pdb.spec?.selector), pod.metadata.labels);
}

export function budgetsFor(store: KubeStore, pod: KubeObject): KubeObject[] {
  return store.list('PodDisruptionBudget', pod.metadata.namespace).items.filter((pdb) => budgetSelects(pdb, pod));
}

/** An int or a percentage of `total` (rounded up, as intstr.GetScaledValueFromIntOrPercent(…, true)). */
function scaled(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  return Number(value) || 0;
}

/** The scalable controller of a pod: its StatefulSet, or the Deployment (else ReplicaSet) of its ReplicaSet. */
function scalableOwner(store: KubeStore, pod: KubeObject): KubeObject | undefined {
  const ref = pod.metadata.ownerReferences?.find((o) => o.controller && (o.kind === 'StatefulSet' || o.kind === 'ReplicaSet'));
  if (!ref) return undefined;
  const owner = store.get(ref.kind, pod.metadata.namespace, ref.name);
  if (!owner || owner.metadata.uid !== ref.uid) return undefined;
  if (ref.kind === 'StatefulSet') return owner;
  const deploymentRef = owner.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Deployment');
  const deployment = deploymentRef ? store.get('Deployment', pod.metadata.namespace, deploymentRef.name) : undefined;
  return deployment && deployment.metadata.uid === deploymentRef!.uid ? deployment : owner;
}

/** Pods the owning controllers want: sum of their replicas, else the pod count. */
function expectedFromControllers(store: KubeStore, pods: KubeObject[]): number {
  const owners = new Map<string, number>();
  for (const pod of pods) {
    const owner = scalableOwner(store, pod);
    if (!owner) return pods.length;
    owners.set(owner.metadata.uid!, owner.spec?.replicas ?? 1);
  }
  return [...owners.values()].reduce((a, b) => a + b, 0);
}

export function computeBudget(store: KubeStore, pdb: KubeObject): BudgetState {
  const pods = store.list('Pod', pdb.metadata.namespace).items.filter((pod) => budgetSelects(pdb, pod));
  const currentHealthy = pods.filter(isHealthy).length;
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  let expectedPods: number;
  let desiredHealthy: number;
  if (maxUnavailable !== undefined) {
    expectedPods = expectedFromControllers(store, pods);
    desiredHealthy = Math.max(0, expectedPods - scaled(maxUnavailable, expectedPods));
  } else if (typeof minAvailable === 'string' && minAvailable.endsWith('%')) {
    expectedPods = expectedFromControllers(store, pods);
    desiredHealthy = scaled(minAvailable, expectedPods);
  } else {
    expectedPods = pods.length;
    desiredHealthy = minAvailable === undefined ? 0 : scaled(minAvailable, expectedPods);
  }
  return { expectedPods, currentHealthy, desiredHealthy, disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy) };
}

function refresh(store: KubeStore, pdb: KubeObject): void {
  const state = computeBudget(store, pdb);
  const status = pdb.status ?? {};
  const unchanged =
    status.observedGeneration === pdb.metadata.generation &&
    (Object.keys(state) as (keyof BudgetState)[]).every((k) => status[k] === state[k]);
  if (unchanged) return;
  const allowed = state.disruptionsAllowed > 0;
  const previous = (status.conditions ?? []).find((c: { type: string }) => c.type === 'DisruptionAllowed');
  const changed = !previous || previous.status !== (allowed ? 'True' : 'False');
  const condition = {
    type: 'DisruptionAllowed',
    status: allowed ? 'True' : 'False',
    reason: allowed ? 'SufficientPods' : 'InsufficientPods',
    message: '',
    observedGeneration: pdb.metadata.generation,
    lastTransitionTime: changed ? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') : previous.lastTransitionTime,
  };
  store.mutate('PodDisruptionBudget', pdb.metadata.namespace, pdb.metadata.name!, (obj) => {
    obj.status = { ...(obj.status ?? {}), ...state, observedGeneration: pdb.metadata.generation, conditions: [condition] };
  });
}

const WATCHED = new Set(['Pod', 'StatefulSet', 'Deployment', 'ReplicaSet', 'PodDisruptionBudget']);

/**
 * Keeps PDB status (expectedPods, currentHealthy, desiredHealthy, disruptionsAllowed) current,
 * once per burst of changes in a namespace (a fleet start is thousands of pod writes; evictions
 * compute the budget afresh, so a status a moment behind never lets one through).
 */
export function startDisruptionController(store: KubeStore): () => void {
  for (const pdb of store.list('PodDisruptionBudget').items) refresh(store, pdb);
  const dirty = new Set<string>();
  let scheduled: NodeJS.Immediate | undefined;
  const flush = (): void => {
    scheduled = undefined;
    const namespaces = [...dirty];
    dirty.clear();
    for (const ns of namespaces) for (const pdb of store.list('PodDisruptionBudget', ns).items) refresh(store, pdb);
  };
  const off = store.subscribe((event) => {
    if (!WATCHED.has(event.kind) || (event.type === 'DELETED' && event.kind === 'PodDisruptionBudget')) return;
    dirty.add(event.object.metadata.namespace ?? '');
    scheduled ??= setImmediate(flush);
  });
  return () => {
    off();
    if (scheduled) clearImmediate(scheduled);
  };
}
