// The garbage collector: when an owner goes, so do the objects whose ownerReferences name it
// (background propagation); an owner deleted with propagationPolicy=Foreground waits, with the
// `foregroundDeletion` finalizer, until its dependents are gone; with Orphan, its dependents lose
// the reference and stay. Dependents are indexed by owner uid from the store's events, so a
// deletion costs a lookup, not a scan.
import type { KubeObject, KubeStore, StoreEvent } from '../kube-sim/store.js';
import type { ControllerHandle, ControllerOptions } from './statefulset.js';
import { createWorkQueue } from './work-queue.js';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

interface Ref {
  kind: string;
  namespace: string | undefined;
  name: string;
}

const refKey = (r: Ref) => `${r.kind}/${r.namespace ?? ''}/${r.name}`;
const parseRef = (key: string): Ref => {
  const [kind, namespace, ...name] = key.split('/');
  return { kind: kind!, namespace: namespace || undefined, name: name.join('/') };
};

export function startGarbageCollector(store: KubeStore, options: ControllerOptions = {}): ControllerHandle {
  /** owner uid → dependents (kind/namespace/name). */
  const dependents = new Map<string, Set<string>>();
  /** uid → the live object's ref, for owners in foreground deletion. */
  const owners = new Map<string, Ref>();

  const index = (obj: KubeObject, add: boolean): void => {
    const key = refKey({ kind: obj.kind!, namespace: obj.metadata.namespace, name: obj.metadata.name! });
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const set = dependents.get(ref.uid) ?? new Set<string>();
      if (add) set.add(key);
      else set.delete(key);
      if (set.size > 0) dependents.set(ref.uid, set);
      else dependents.delete(ref.uid);
    }
  };

  // Work is keyed by owner uid: "is this owner gone, or waiting in the foreground?"
  const queue = createWorkQueue(
    (uid) => collect(uid),
    (uid, error) => options.onError?.(`garbage collector ${uid}: ${(error as Error).message}`),
  );

  const ownerState = (uid: string): 'gone' | 'foreground' | 'orphan' | 'live' => {
    const ref = owners.get(uid);
    if (!ref) return 'gone';
    const owner = store.get(ref.kind, ref.namespace, ref.name);
    if (!owner || owner.metadata.uid !== uid) return 'gone';
    if (owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(ORPHAN_FINALIZER)) return 'orphan';
    if (owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(FOREGROUND_FINALIZER)) return 'foreground';
    return 'live';
  };

  const collect = (uid: string): void => {
    const state = ownerState(uid);
    if (state === 'live') return;
    for (const key of [...(dependents.get(uid) ?? [])]) {
      const ref = parseRef(key);
      const dependent = store.get(ref.kind, ref.namespace, ref.name);
      if (!dependent) continue;
      if (state === 'orphan') {
        store.mutate(ref.kind, ref.namespace, ref.name, (obj) => {
          obj.metadata.ownerReferences = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
          if (obj.metadata.ownerReferences.length === 0) delete obj.metadata.ownerReferences;
        });
        continue;
      }
      // A dependent that still has another live owner stays (the GC's "dangling references" rule).
      const otherOwners = (dependent.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid && ownerState(r.uid) === 'live');
      if (otherOwners.length > 0 || dependent.metadata.deletionTimestamp) continue;
      const foregroundChild = state === 'foreground' && (dependent.metadata.ownerReferences ?? []).length > 0 && ref.kind !== 'Pod';
      if (foregroundChild) {
        // Foreground cascades: the dependent's own dependents go before it does.
        store.mutate(ref.kind, ref.namespace, ref.name, (obj) => {
          obj.metadata.finalizers = [...new Set([...(obj.metadata.finalizers ?? []), FOREGROUND_FINALIZER])];
        });
      }
      store.delete(ref.kind, ref.namespace, ref.name);
    }
    if (state === 'foreground' || state === 'orphan') {
      const remaining = [...(dependents.get(uid) ?? [])].filter((key) => {
        const ref = parseRef(key);
        const obj = store.get(ref.kind, ref.namespace, ref.name);
        return obj && (state === 'foreground' || obj.metadata.ownerReferences?.some((r) => r.uid === uid));
      });
      if (remaining.length === 0) release(uid, state === 'orphan' ? ORPHAN_FINALIZER : FOREGROUND_FINALIZER);
    }
  };

  const release = (uid: string, finalizer: string): void => {
    const ref = owners.get(uid)!;
    store.mutate(ref.kind, ref.namespace, ref.name, (obj) => {
      obj.metadata.finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
      if (obj.metadata.finalizers.length === 0) delete obj.metadata.finalizers;
    });
  };

  const onEvent = (event: StoreEvent): void => {
    const obj = event.object;
    if (event.kind === 'Event') return;
    const uid = obj.metadata.uid!;
    if (event.previous) index(event.previous, false);
    if (event.type === 'DELETED') {
      owners.delete(uid);
      queue.add(uid);
      // A dependent leaving may let a foreground owner go.
      for (const ref of obj.metadata.ownerReferences ?? []) queue.add(ref.uid);
      return;
    }
    index(obj, true);
    owners.set(uid, { kind: obj.kind!, namespace: obj.metadata.namespace, name: obj.metadata.name! });
    if (obj.metadata.deletionTimestamp && obj.metadata.finalizers?.some((f) => f === FOREGROUND_FINALIZER || f === ORPHAN_FINALIZER)) queue.add(uid);
    if (event.type === 'MODIFIED' && obj.metadata.deletionTimestamp) {
      for (const ref of obj.metadata.ownerReferences ?? []) queue.add(ref.uid);
    }
  };
  const off = store.subscribe(onEvent);
  return {
    idle: () => queue.idle(),
    stop() {
      off();
      queue.stop();
    },
  };
}
