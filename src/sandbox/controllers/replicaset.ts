// The ReplicaSet controller: keeps spec.replicas pods from the template, named `<rs>-<random>`,
// deleting the least useful first when there are too many (not scheduled, not ready, youngest),
// and writes the status the Deployment controller and `kubectl get rs` read. Follows
// kube-controller-manager's replica_set.go, minus expectations (the store is synchronous).
import { createEventRecorder, type EventRecorder } from '../kube-sim/event-recorder.js';
import type { KubeObject, KubeStore, StoreEvent } from '../kube-sim/store.js';
import { isFailed, isOwnedBy, isReady, isRunningAndReady, isTerminating } from './pod-state.js';
import type { ControllerHandle, ControllerOptions } from './statefulset.js';
import { createWorkQueue, keyFor, splitKey } from './work-queue.js';

export function startReplicaSetController(store: KubeStore, options: ControllerOptions = {}): ControllerHandle {
  const events = createEventRecorder(store, { component: 'replicaset-controller' });
  const queue = createWorkQueue(
    (key) => reconcile(store, key, events),
    (key, error) => options.onError?.(`replicaset ${key}: ${(error as Error).message}`),
  );
  const onEvent = (event: StoreEvent): void => {
    const { object } = event;
    if (event.kind === 'ReplicaSet' && event.type !== 'DELETED') queue.add(keyFor(object.metadata.namespace, object.metadata.name!));
    else if (event.kind === 'Pod') {
      const owner = (object.metadata.ownerReferences ?? []).find((ref) => ref.controller && ref.kind === 'ReplicaSet');
      if (owner) queue.add(keyFor(object.metadata.namespace, owner.name));
    }
  };
  const off = store.subscribe(onEvent);
  for (const rs of store.list('ReplicaSet').items) queue.add(keyFor(rs.metadata.namespace, rs.metadata.name!));
  return {
    idle: () => queue.idle(),
    stop() {
      off();
      queue.stop();
    },
  };
}

/** Which pod goes first on scale-down (controller.ActivePods ordering, the parts kube-sim has). */
function deletionRank(pod: KubeObject): number[] {
  const scheduled = pod.spec?.nodeName ? 1 : 0;
  const phase = pod.status?.phase === 'Pending' ? 0 : pod.status?.phase === 'Unknown' ? 1 : 2;
  const ready = isReady(pod) ? 1 : 0;
  const restarts = -((pod.status?.containerStatuses ?? []) as { restartCount?: number }[]).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const created = -Date.parse(pod.metadata.creationTimestamp ?? '');
  return [scheduled, phase, ready, restarts, created];
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function reconcile(store: KubeStore, key: string, events: EventRecorder): void {
  const [namespace, name] = splitKey(key);
  const rs = store.get('ReplicaSet', namespace, name);
  if (!rs || isTerminating(rs)) return;
  const replicas: number = rs.spec?.replicas ?? 1;
  const owned = store.list('Pod', namespace).items.filter((pod) => isOwnedBy(pod, rs));
  for (const pod of owned.filter((p) => isFailed(p) && !isTerminating(p))) {
    store.delete('Pod', namespace, pod.metadata.name!);
    events.normal(rs, 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
  }
  const active = owned.filter((pod) => !isTerminating(pod) && !isFailed(pod));
  if (active.length < replicas) {
    const template = (rs.spec?.template ?? {}) as { metadata?: KubeObject['metadata']; spec?: KubeObject['spec'] };
    for (let i = active.length; i < replicas; i += 1) {
      const pod = store.create('Pod', {
        metadata: {
          generateName: `${name}-`,
          namespace,
          labels: { ...(template.metadata?.labels ?? {}) },
          ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true }],
        },
        spec: structuredClone(template.spec ?? {}),
      });
      events.normal(rs, 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
    }
  } else if (active.length > replicas) {
    const victims = [...active].sort((a, b) => compareRank(deletionRank(a), deletionRank(b))).slice(0, active.length - replicas);
    for (const pod of victims) {
      store.delete('Pod', namespace, pod.metadata.name!);
      events.normal(rs, 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    }
  }
  writeStatus(store, rs);
}

function writeStatus(store: KubeStore, rs: KubeObject): void {
  const { namespace, name } = rs.metadata;
  const pods = store.list('Pod', namespace).items.filter((pod) => isOwnedBy(pod, rs) && !isTerminating(pod) && !isFailed(pod));
  const ready = pods.filter(isRunningAndReady).length;
  const status = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.length,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: rs.metadata.generation ?? 1,
  };
  store.mutate('ReplicaSet', namespace, name!, (obj) => {
    obj.status = { ...(obj.status ?? {}), ...status };
  }, { scope: 'status' });
}
