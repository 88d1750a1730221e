// The StatefulSet controller: pods NAME-0 … NAME-(n-1) from the template, created and removed in
// ordinal order (OrderedReady) or all at once (Parallel), rolling updates from the highest ordinal
// down to the partition, and the status `kubectl rollout status` reads. Follows
// kube-controller-manager's stateful_set_control.go step by step, minus PVCs; its history is one
// ControllerRevision per template (history.ts), which `kubectl rollout history|undo` read.
import { createEventRecorder, type EventRecorder } from '../kube-sim/event-recorder.js';
import type { KubeObject, KubeStore, StoreEvent } from '../kube-sim/store.js';
import { syncHistory } from './history.js';
import { isFailed, isHealthy, isOwnedBy, isRunningAndReady, isTerminating } from './pod-state.js';
import { REVISION_LABEL, revisionName } from './revision.js';
import { createWorkQueue, keyFor, splitKey, type WorkQueue } from './work-queue.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export interface ControllerHandle {
  /** Resolves when every queued reconcile has run. */
  idle(): Promise<void>;
  stop(): void;
}

export interface ControllerOptions {
  onError?: (message: string) => void;
}

export function startStatefulSetController(store: KubeStore, options: ControllerOptions = {}): ControllerHandle {
  // Templates by revision name, so a pod re-created below the partition gets its old template back.
  const templates = new Map<string, unknown>();
  const events = createEventRecorder(store, { component: 'statefulset-controller' });
  const queue: WorkQueue = createWorkQueue(
    (key) => reconcile(store, key, templates, events),
    (key, error) => options.onError?.(`statefulset ${key}: ${(error as Error).message}`),
  );
  const onEvent = (event: StoreEvent): void => {
    const { object } = event;
    if (event.kind === 'StatefulSet') {
      if (event.type !== 'DELETED') queue.add(keyFor(object.metadata.namespace, object.metadata.name!));
    } else if (event.kind === 'Pod') {
      const owner = (object.metadata.ownerReferences ?? []).find((ref) => ref.controller && ref.kind === 'StatefulSet');
      if (owner) queue.add(keyFor(object.metadata.namespace, owner.name));
    }
  };
  const off = store.subscribe(onEvent);
  for (const sts of store.list('StatefulSet').items) queue.add(keyFor(sts.metadata.namespace, sts.metadata.name!));
  return {
    idle: () => queue.idle(),
    stop() {
      off();
      queue.stop();
    },
  };
}

export function ordinalOf(setName: string, podName: string): number | undefined {
  if (!podName.startsWith(`${setName}-`)) return undefined;
  const rest = podName.slice(setName.length + 1);
  return /^(0|[1-9]\d{0,8})$/.test(rest) ? Number(rest) : undefined;
}

const revisionOf = (pod: KubeObject): string | undefined => pod.metadata.labels?.[REVISION_LABEL];

function reconcile(store: KubeStore, key: string, templates: Map<string, unknown>, events: EventRecorder): void {
  const [namespace, name] = splitKey(key);
  const sts = store.get('StatefulSet', namespace, name);
  if (!sts || isTerminating(sts)) return;
  const spec = sts.spec ?? {};
  const replicas: number = spec.replicas ?? 1;
  const parallel = spec.podManagementPolicy === 'Parallel';
  const rolling = (spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  const partition: number = rolling ? (spec.updateStrategy?.rollingUpdate?.partition ?? 0) : 0;

  const updateRevision = revisionName(name, spec.template);
  templates.set(updateRevision, spec.template);
  const currentRevision: string = sts.status?.currentRevision && templates.has(sts.status.currentRevision) ? sts.status.currentRevision : updateRevision;

  const owned = store.list('Pod', namespace).items.filter((pod) => isOwnedBy(pod, sts));
  const byOrdinal = new Map<number, KubeObject>();
  const condemned: KubeObject[] = [];
  for (const pod of owned) {
    const ordinal = ordinalOf(name, pod.metadata.name!);
    if (ordinal === undefined) continue;
    if (ordinal < replicas) byOrdinal.set(ordinal, pod);
    else condemned.push(pod);
  }
  condemned.sort((a, b) => ordinalOf(name, b.metadata.name!)! - ordinalOf(name, a.metadata.name!)!);
  const deletePod = (pod: KubeObject): void => {
    store.delete('Pod', namespace, pod.metadata.name!);
    events.normal(sts, 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${name} successful`);
  };

  const act = (): void => {
    // 1. Every ordinal below replicas exists, is not failed, and (OrderedReady) each is Ready
    //    before the next is created.
    for (let ordinal = 0; ordinal < replicas; ordinal += 1) {
      const pod = byOrdinal.get(ordinal);
      if (!pod) {
        const revision = rolling && ordinal < partition ? currentRevision : updateRevision;
        const created = createPod(store, sts, ordinal, revision, templates.get(revision));
        events.normal(sts, 'SuccessfulCreate', `create Pod ${created.metadata.name} in StatefulSet ${name} successful`);
        byOrdinal.set(ordinal, created);
        if (!parallel) return;
        continue;
      }
      if (isFailed(pod) && !isTerminating(pod)) {
        deletePod(pod);
        if (!parallel) return;
        continue;
      }
      if (!parallel && (isTerminating(pod) || !isRunningAndReady(pod))) return;
    }
    // 2. Scale down from the highest ordinal; OrderedReady removes one at a time and only while
    //    every pod it keeps is healthy (otherwise the scale-down stalls, as on a cluster).
    const kept = [...byOrdinal.values()];
    for (const pod of condemned) {
      if (isTerminating(pod)) {
        if (!parallel) return;
        continue;
      }
      if (!parallel && !kept.every(isHealthy)) return;
      deletePod(pod);
      if (!parallel) return;
    }
    // 3. Rolling update: everything healthy, then replace the highest pod not yet at the update
    //    revision, down to the partition, one at a time.
    if (!rolling || !kept.every(isHealthy) || kept.length < replicas) return;
    for (let ordinal = replicas - 1; ordinal >= partition; ordinal -= 1) {
      const pod = byOrdinal.get(ordinal)!;
      if (revisionOf(pod) !== updateRevision) {
        deletePod(pod);
        return;
      }
    }
  };
  act();

  const live = new Set([currentRevision, ...owned.map(revisionOf).filter((r): r is string => r !== undefined)]);
  syncHistory(store, sts, updateRevision, live);
  writeStatus(store, sts, replicas, currentRevision, updateRevision);
}

function createPod(store: KubeStore, sts: KubeObject, ordinal: number, revision: string, template: unknown): KubeObject {
  const setName = sts.metadata.name!;
  const podName = `${setName}-${ordinal}`;
  const tpl = (template ?? sts.spec?.template ?? {}) as { metadata?: KubeObject['metadata']; spec?: KubeObject['spec'] };
  const spec = structuredClone(tpl.spec ?? {});
  spec.hostname = podName;
  if (sts.spec?.serviceName) spec.subdomain = sts.spec.serviceName;
  return store.create('Pod', {
    metadata: {
      name: podName,
      namespace: sts.metadata.namespace,
      labels: { ...(tpl.metadata?.labels ?? {}), [REVISION_LABEL]: revision, [POD_NAME_LABEL]: podName, [POD_INDEX_LABEL]: String(ordinal) },
      ...(tpl.metadata?.annotations ? { annotations: { ...tpl.metadata.annotations } } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: setName, uid: sts.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec,
  });
}

function writeStatus(store: KubeStore, sts: KubeObject, replicas: number, currentRevision: string, updateRevision: string): void {
  const { namespace, name } = sts.metadata;
  const pods = store.list('Pod', namespace).items.filter((pod) => isOwnedBy(pod, sts) && ordinalOf(name!, pod.metadata.name!) !== undefined);
  let current = 0;
  let updated = 0;
  let ready = 0;
  for (const pod of pods) {
    if (isRunningAndReady(pod)) ready += 1;
    if (isTerminating(pod)) continue;
    if (revisionOf(pod) === currentRevision) current += 1;
    if (revisionOf(pod) === updateRevision) updated += 1;
  }
  // The rollout is complete once every wanted pod runs the update revision and is ready: from then
  // on the update revision is the current one (stateful_set_control.go completeRollingUpdate).
  let currentName = currentRevision;
  if (currentRevision !== updateRevision && updated === replicas && ready === replicas && pods.length === replicas) {
    currentName = updateRevision;
    current = updated;
  }
  const status = {
    observedGeneration: sts.metadata.generation ?? 1,
    replicas: pods.length,
    readyReplicas: ready,
    currentReplicas: current,
    updatedReplicas: updated,
    availableReplicas: ready,
    currentRevision: currentName,
    updateRevision,
    collisionCount: 0,
  };
  store.mutate('StatefulSet', namespace, name!, (obj) => {
    obj.status = { ...(obj.status ?? {}), ...status };
  }, { scope: 'status' });
}
