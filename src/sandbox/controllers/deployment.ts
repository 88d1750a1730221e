// The Deployment controller: one ReplicaSet per pod template (named `<deploy>-<pod-template-hash>`,
// the hash also stamped on its pods as a label), a rolling update bounded by maxSurge and
// maxUnavailable (or Recreate), revision annotations, old ReplicaSets pruned to
// revisionHistoryLimit, and the status and conditions `kubectl rollout status` reads. Follows
// kube-controller-manager's deployment/rolling.go and sync.go, minus proportional scaling.
import { createEventRecorder, type EventRecorder } from '../kube-sim/event-recorder.js';
import type { JsonMap, KubeObject, KubeStore, StoreEvent } from '../kube-sim/store.js';
import { isOwnedBy, isTerminating } from './pod-state.js';
import { templateHash } from './revision.js';
import type { ControllerHandle, ControllerOptions } from './statefulset.js';
import { createWorkQueue, keyFor, splitKey } from './work-queue.js';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

export function startDeploymentController(store: KubeStore, options: ControllerOptions = {}): ControllerHandle {
  const events = createEventRecorder(store, { component: 'deployment-controller' });
  const queue = createWorkQueue(
    (key) => reconcile(store, key, events),
    (key, error) => options.onError?.(`deployment ${key}: ${(error as Error).message}`),
  );
  const onEvent = (event: StoreEvent): void => {
    const { object } = event;
    if (event.kind === 'Deployment' && event.type !== 'DELETED') queue.add(keyFor(object.metadata.namespace, object.metadata.name!));
    else if (event.kind === 'ReplicaSet') {
      const owner = (object.metadata.ownerReferences ?? []).find((ref) => ref.controller && ref.kind === 'Deployment');
      if (owner) queue.add(keyFor(object.metadata.namespace, owner.name));
    } else if (event.kind === 'Pod' && event.type === 'DELETED') {
      // Recreate waits for the old pods to be gone, which no ReplicaSet change announces.
      const rsRef = (object.metadata.ownerReferences ?? []).find((ref) => ref.controller && ref.kind === 'ReplicaSet');
      const rs = rsRef ? store.get('ReplicaSet', object.metadata.namespace, rsRef.name) : undefined;
      const owner = (rs?.metadata.ownerReferences ?? []).find((ref) => ref.controller && ref.kind === 'Deployment');
      if (owner) queue.add(keyFor(object.metadata.namespace, owner.name));
    }
  };
  const off = store.subscribe(onEvent);
  for (const d of store.list('Deployment').items) queue.add(keyFor(d.metadata.namespace, d.metadata.name!));
  return {
    idle: () => queue.idle(),
    stop() {
      off();
      queue.stop();
    },
  };
}

/** An int-or-percent of `total`, as intstr.GetScaledValueFromIntOrPercent rounds it. */
export function scaledValue(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(String(value ?? '0'));
  if (!m) return Number(value) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** maxSurge and maxUnavailable resolved against replicas; both 0 would stall, so unavailable becomes 1. */
export function rollingBounds(d: KubeObject): { maxSurge: number; maxUnavailable: number } {
  const replicas: number = d.spec?.replicas ?? 1;
  const rolling = (d.spec?.strategy?.rollingUpdate ?? {}) as JsonMap;
  const maxSurge = scaledValue(rolling.maxSurge ?? '25%', replicas, true);
  let maxUnavailable = scaledValue(rolling.maxUnavailable ?? '25%', replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

const specReplicas = (rs: KubeObject): number => rs.spec?.replicas ?? 0;
const revisionOf = (rs: KubeObject): number => Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? '0');
const byAge = (a: KubeObject, b: KubeObject): number => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || revisionOf(a) - revisionOf(b);

function reconcile(store: KubeStore, key: string, events: EventRecorder): void {
  const [namespace, name] = splitKey(key);
  const d = store.get('Deployment', namespace, name);
  if (!d || isTerminating(d)) return;
  const replicas: number = d.spec?.replicas ?? 1;
  const hash = templateHash(d.spec?.template);
  const owned = store.list('ReplicaSet', namespace).items.filter((rs) => isOwnedBy(rs, d) && !isTerminating(rs));
  let newRS = owned.find((rs) => rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === hash);
  const olds = owned.filter((rs) => rs !== newRS).sort(byAge);
  const scale = (rs: KubeObject, to: number): KubeObject => {
    const from = specReplicas(rs);
    if (from === to) return rs;
    const updated = store.mutate('ReplicaSet', namespace, rs.metadata.name!, (obj) => {
      obj.spec = { ...(obj.spec ?? {}), replicas: to };
      obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), 'deployment.kubernetes.io/desired-replicas': String(replicas) };
    });
    events.normal(d, 'ScalingReplicaSet', `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`);
    return updated;
  };

  if (!d.spec?.paused) {
    const recreate = d.spec?.strategy?.type === 'Recreate';
    if (!newRS) {
      const revision = Math.max(0, ...owned.map(revisionOf)) + 1;
      newRS = createReplicaSet(store, d, hash, revision);
    } else if (revisionOf(newRS) <= Math.max(0, ...olds.map(revisionOf))) {
      // A template rolled back to an older ReplicaSet's: that one becomes the newest revision.
      const revision = Math.max(0, ...owned.map(revisionOf)) + 1;
      newRS = store.mutate('ReplicaSet', namespace, newRS.metadata.name!, (obj) => {
        obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [REVISION_ANNOTATION]: String(revision) };
      });
    }
    if (recreate) {
      for (const rs of olds) scale(rs, 0);
      const oldPodsLeft = store.list('Pod', namespace).items.some((pod) => olds.some((rs) => isOwnedBy(pod, rs)));
      if (!oldPodsLeft) newRS = scale(newRS, replicas);
    } else {
      newRS = rollStep(store, d, newRS, olds, scale);
    }
    pruneHistory(store, d, olds);
  }
  writeStatus(store, d, newRS, olds);
}

/** One step of rolling.go: scale the new ReplicaSet up within maxSurge, the old ones down within maxUnavailable. */
function rollStep(store: KubeStore, d: KubeObject, newRS: KubeObject, olds: KubeObject[], scale: (rs: KubeObject, to: number) => KubeObject): KubeObject {
  const replicas: number = d.spec?.replicas ?? 1;
  const { maxSurge, maxUnavailable } = rollingBounds(d);
  const oldActive = olds.filter((rs) => specReplicas(rs) > 0);
  if (oldActive.length === 0) return scale(newRS, replicas);

  const total = specReplicas(newRS) + oldActive.reduce((n, rs) => n + specReplicas(rs), 0);
  const maxTotal = replicas + maxSurge;
  if (total < maxTotal && specReplicas(newRS) < replicas) {
    newRS = scale(newRS, Math.min(replicas, specReplicas(newRS) + maxTotal - total));
  }

  const fresh = (rs: KubeObject) => store.get('ReplicaSet', rs.metadata.namespace, rs.metadata.name!) ?? rs;
  const current = [fresh(newRS), ...oldActive.map(fresh)];
  const allPods = current.reduce((n, rs) => n + specReplicas(rs), 0);
  const minAvailable = replicas - maxUnavailable;
  const newUnavailable = specReplicas(current[0]!) - (current[0]!.status?.availableReplicas ?? 0);
  const available = current.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
  let budget = Math.min(allPods - minAvailable - newUnavailable, available - minAvailable);
  for (const rs of current.slice(1)) {
    if (budget <= 0) break;
    const down = Math.min(specReplicas(rs), budget);
    scale(rs, specReplicas(rs) - down);
    budget -= down;
  }
  return current[0]!;
}

function createReplicaSet(store: KubeStore, d: KubeObject, hash: string, revision: number): KubeObject {
  const template = structuredClone((d.spec?.template ?? {}) as { metadata?: KubeObject['metadata']; spec?: KubeObject['spec'] });
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
  const selector = structuredClone((d.spec?.selector ?? {}) as JsonMap);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const { maxSurge } = rollingBounds(d);
  return store.create('ReplicaSet', {
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: template.metadata.labels,
      annotations: {
        [REVISION_ANNOTATION]: String(revision),
        'deployment.kubernetes.io/desired-replicas': String(d.spec?.replicas ?? 1),
        'deployment.kubernetes.io/max-replicas': String((d.spec?.replicas ?? 1) + maxSurge),
      },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name!, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  });
}

/** Old ReplicaSets scaled to zero beyond revisionHistoryLimit go, oldest first. */
function pruneHistory(store: KubeStore, d: KubeObject, olds: KubeObject[]): void {
  const limit: number = d.spec?.revisionHistoryLimit ?? 10;
  const idle = olds.filter((rs) => specReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0);
  for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) store.delete('ReplicaSet', rs.metadata.namespace, rs.metadata.name!);
}

function writeStatus(store: KubeStore, d: KubeObject, newRS: KubeObject | undefined, olds: KubeObject[]): void {
  const { namespace, name } = d.metadata;
  const replicas: number = d.spec?.replicas ?? 1;
  const all = [newRS, ...olds].filter((rs): rs is KubeObject => !!rs).map((rs) => store.get('ReplicaSet', namespace, rs.metadata.name!) ?? rs);
  const sum = (field: string) => all.reduce((n, rs) => n + ((rs.status?.[field] as number | undefined) ?? 0), 0);
  const fresh = newRS ? store.get('ReplicaSet', namespace, newRS.metadata.name!) : undefined;
  const updated = fresh?.status?.replicas ?? 0;
  const available = sum('availableReplicas');
  const total = sum('replicas');
  const { maxUnavailable } = d.spec?.strategy?.type === 'Recreate' ? { maxUnavailable: 0 } : rollingBounds(d);
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const complete = updated === replicas && total === replicas && available === replicas && specReplicas(fresh ?? {metadata: {}}) === replicas;
  const conditions = [
    available >= replicas - maxUnavailable
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
    complete
      ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${fresh?.metadata.name}" has successfully progressed.` }
      : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${fresh?.metadata.name}" is progressing.` },
  ];
  store.mutate('Deployment', namespace, name!, (obj) => {
    const previous = (obj.status?.conditions ?? []) as JsonMap[];
    const stamped = conditions.map((c) => {
      const before = previous.find((p) => p.type === c.type);
      const same = before && before.status === c.status && before.reason === c.reason;
      return { ...c, lastUpdateTime: same ? before.lastUpdateTime : now, lastTransitionTime: before?.status === c.status ? before.lastTransitionTime : now };
    });
    obj.status = {
      observedGeneration: d.metadata.generation ?? 1,
      replicas: total,
      updatedReplicas: updated,
      readyReplicas: sum('readyReplicas'),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, replicas - available),
      conditions: stamped,
    };
  }, { scope: 'status' });
}
