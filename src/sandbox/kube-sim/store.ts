// kube-sim's object store: every API object lives here, in memory, with the API server's write
// semantics (uid, a global resourceVersion, generation, preconditions, graceful deletion, watch
// history). The HTTP routes are a thin layer over it; controllers use it directly.
//
// How a controller uses the store (all calls are synchronous; every returned object is a copy,
// except the part of an object that read() hands to its callback):
//
//   const off = store.subscribe((e) => {            // every committed change, every kind, in order
//     if (e.kind === 'StatefulSet') reconcile(e.object.metadata.namespace!, e.object.metadata.name!);
//   });
//   const { items } = store.list('Pod', 'ns', { labelSelector: { matchLabels: { app: 'gw' } } });
//   store.create('Pod', { metadata: { name: 'gw-0', namespace: 'ns', labels }, spec });
//   store.mutate('Pod', 'ns', 'gw-0', (pod) => { pod.status = { ...pod.status, phase: 'Running' }; });
//   store.update('StatefulSet', sts);                // 409 ApiError if sts.metadata.resourceVersion is stale
//   // A deleted pod keeps running: delete() only sets deletionTimestamp (grace > 0). The kubelet sees
//   // the MODIFIED event, runs preStop/SIGTERM/SIGKILL, then removes it for good:
//   store.finalize('Pod', 'ns', 'gw-0');             // emits DELETED
//   off();
//
// Listeners run synchronously after each commit, one event at a time in resourceVersion order; a
// listener may write to the store (its event is delivered after the current one). Failures are
// ApiError (status.ts) carrying the HTTP code and the Status body the API server would send.

import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { applyPatch, type PatchType } from './patch.js';
import type { ResourceType } from './resources.js';
import { typeByKind } from './resources.js';
import type { LabelSelectorSpec } from './selectors.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, requirementsFromSpec } from './selectors.js';
import { ApiError, alreadyExists, conflict, invalid, notFound } from './status.js';
import { validateObject } from './validation.js';

// Object bodies are free-form JSON; controllers narrow spec/status to the shapes they handle.
export type JsonMap = { [key: string]: any };

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: JsonMap;
  status?: JsonMap;
  [key: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  kind: string;
  /** The object after the change (for DELETED: as it was removed, with the deletion's resourceVersion). */
  object: KubeObject;
  /** The object before the change (MODIFIED and DELETED). */
  previous?: KubeObject;
  resourceVersion: number;
}

export interface ListSelector {
  /** `app=gw,tier!=web` or a spec.selector-style object. */
  labelSelector?: string | LabelSelectorSpec;
  /** `metadata.name=gw-0,status.phase!=Failed` */
  fieldSelector?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
}

/**
 * Which part of the object a write may change: 'all' (controllers, the default), 'main' (a PUT or
 * PATCH on the resource: status is kept) or 'status' (the /status subresource: only status changes).
 */
export type WriteScope = 'all' | 'main' | 'status';

export interface WriteOptions {
  scope?: WriteScope;
  /** Validate and return the result without persisting (`?dryRun=All`). */
  dryRun?: boolean;
}

export interface DeleteOptions {
  /** Seconds until the object must be gone; 0 removes it at once. Pods default to spec.terminationGracePeriodSeconds, then 30. */
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface DeleteResult {
  object: KubeObject;
  /** false when the object stays, terminating, until a controller finalizes it. */
  removed: boolean;
}

export interface StoreOptions {
  /** How many past events a watch can resume from (older → 410 Expired). */
  historyLimit?: number;
  now?: () => Date;
}

export type StoreListener = (event: StoreEvent) => void;

const DEFAULT_POD_GRACE_SECONDS = 30;

const keyOf = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;
const clone = <T>(value: T): T => structuredClone(value);

interface Watcher {
  kind: string;
  namespace: string | undefined;
  callback: StoreListener;
  delivered: number;
}

export class KubeStore {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly historyLimit: number;
  private readonly now: () => Date;
  private revision = 0;
  /** Highest resourceVersion no longer in the history. */
  private compactedThrough = 0;
  private readonly listeners = new Set<StoreListener>();
  private readonly watchers = new Set<Watcher>();
  private readonly pending: StoreEvent[] = [];
  private dispatching = false;

  constructor(options: StoreOptions = {}) {
    this.historyLimit = options.historyLimit ?? 5000;
    this.now = options.now ?? (() => new Date());
  }

  /** The store's current resourceVersion (as the API server reports it: a string). */
  get resourceVersion(): string {
    return String(this.revision);
  }

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.bucket(kind).get(keyOf(this.nsFor(kind, namespace), name));
    return found ? clone(found) : undefined;
  }

  /** Like get, but a missing object is the API's 404. */
  require(kind: string, namespace: string | undefined, name: string): KubeObject {
    const found = this.get(kind, namespace, name);
    if (!found) throw notFound(typeByKind(kind), name);
    return found;
  }

  /**
   * What `read` takes out of the stored object, without copying the object first (pods/proxy reads
   * a pod per proxied request). `read` must not change the object or keep a reference into it.
   * A missing object is the API's 404.
   */
  read<T>(kind: string, namespace: string | undefined, name: string, read: (object: Readonly<KubeObject>) => T): T {
    const found = this.bucket(kind).get(keyOf(this.nsFor(kind, namespace), name));
    if (!found) throw notFound(typeByKind(kind), name);
    return read(found);
  }

  /** Objects of a kind, in one namespace or all (namespace undefined), sorted by namespace/name. */
  list(kind: string, namespace?: string, selector: ListSelector = {}): ListResult {
    const labels =
      typeof selector.labelSelector === 'string'
        ? parseLabelSelector(selector.labelSelector)
        : requirementsFromSpec(selector.labelSelector);
    const fields = selector.fieldSelector ? parseFieldSelector(selector.fieldSelector, kind) : [];
    const ns = namespace === undefined ? undefined : this.nsFor(kind, namespace);
    const items = [...this.bucket(kind).entries()]
      .filter(([, o]) => ns === undefined || (o.metadata.namespace ?? '') === ns)
      .filter(([, o]) => matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => clone(o));
    return { items, resourceVersion: this.resourceVersion };
  }

  create(kind: string, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const type = typeByKind(kind);
    const obj = clone(input);
    obj.metadata = { ...(obj.metadata ?? {}) };
    const meta = obj.metadata;
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomSuffix();
    if (type.namespaced) {
      meta.namespace = meta.namespace || 'default';
      this.requireLiveNamespace(meta.namespace);
    } else {
      delete meta.namespace;
    }
    obj.apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
    obj.kind = kind;
    for (const field of ['uid', 'resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) {
      delete meta[field];
    }
    applyCreateDefaults(kind, obj);
    validateObject(type, obj);
    const key = keyOf(meta.namespace, meta.name!);
    if (this.bucket(kind).has(key)) throw alreadyExists(type, meta.name!);
    meta.uid = randomUUID();
    meta.creationTimestamp = this.timestamp();
    if (type.tracksGeneration) meta.generation = 1;
    if (options.dryRun) return obj;
    return this.commit('ADDED', kind, obj, undefined);
  }

  /**
   * Replaces an object. When obj.metadata.resourceVersion is set it must be the current one (409
   * otherwise); without it the write is unconditional, as a PUT without resourceVersion is.
   */
  update(kind: string, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const type = typeByKind(kind);
    const name = input.metadata?.name ?? '';
    const current = this.bucket(kind).get(keyOf(this.nsFor(kind, input.metadata?.namespace), name));
    if (!current) throw notFound(type, name);
    const expected = input.metadata.resourceVersion;
    if (expected !== undefined && expected !== '' && expected !== current.metadata.resourceVersion) throw conflict(type, name);
    const next = mergeForScope(type, current, clone(input), options.scope ?? 'all');
    next.apiVersion = current.apiVersion;
    next.kind = kind;
    next.metadata = {
      ...next.metadata,
      name: current.metadata.name,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      ...(type.namespaced ? { namespace: current.metadata.namespace } : {}),
    };
    keepIfSet(next.metadata, current.metadata, 'deletionTimestamp');
    keepIfSet(next.metadata, current.metadata, 'deletionGracePeriodSeconds');
    if (type.tracksGeneration) {
      const changed = !isDeepStrictEqual(next.spec, current.spec);
      next.metadata.generation = (current.metadata.generation ?? 1) + (changed ? 1 : 0);
    } else {
      delete next.metadata.generation;
    }
    validateObject(type, next);
    if (options.dryRun) return { ...next, metadata: { ...next.metadata, resourceVersion: current.metadata.resourceVersion } };
    if (isDeepStrictEqual(stripVersion(next), stripVersion(current))) return clone(current);
    if (next.metadata.deletionTimestamp && !next.metadata.finalizers?.length && kind !== 'Pod') {
      return this.remove(kind, current, next);
    }
    return this.commit('MODIFIED', kind, next, current);
  }

  /**
   * Applies a patch to the current object and writes the result. A metadata.resourceVersion the
   * patch puts into the object acts as a precondition (409 when stale), as on the API server.
   */
  patch(kind: string, namespace: string | undefined, name: string, type: PatchType, patch: unknown, options: WriteOptions = {}): KubeObject {
    const current = this.require(kind, namespace, name);
    const patched = applyPatch(current, type, patch) as KubeObject;
    if (patched === null || typeof patched !== 'object' || Array.isArray(patched)) {
      throw new ApiError(422, 'Invalid', 'the patch produced a document that is not an object');
    }
    patched.metadata = { ...(patched.metadata ?? {}) };
    if (patched.metadata.resourceVersion === undefined || patched.metadata.resourceVersion === null) {
      patched.metadata.resourceVersion = current.metadata.resourceVersion;
    }
    patched.metadata.name = name;
    return this.update(kind, patched, options);
  }

  /** Read-modify-write for controllers: unconditional, so it cannot conflict. */
  mutate(kind: string, namespace: string | undefined, name: string, change: (obj: KubeObject) => void, options: WriteOptions = {}): KubeObject {
    const obj = this.require(kind, namespace, name);
    change(obj);
    obj.metadata.resourceVersion = undefined;
    return this.update(kind, obj, options);
  }

  /**
   * Deletes an object. Pods (grace > 0) and objects with finalizers stay, with deletionTimestamp set,
   * until finalize() (the kubelet) or the last finalizer's removal; everything else goes at once.
   */
  delete(kind: string, namespace: string | undefined, name: string, options: DeleteOptions = {}): DeleteResult {
    const type = typeByKind(kind);
    const current = this.bucket(kind).get(keyOf(this.nsFor(kind, namespace), name));
    if (!current) throw notFound(type, name);
    const pre = options.preconditions ?? {};
    if (pre.uid && pre.uid !== current.metadata.uid) {
      throw new ApiError(409, 'Conflict', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`, {
        name,
        kind: type.plural,
        ...(type.group ? { group: type.group } : {}),
      });
    }
    if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw new ApiError(
        409,
        'Conflict',
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
        { name, kind: type.plural, ...(type.group ? { group: type.group } : {}) },
      );
    }
    if (kind === 'Namespace') return this.deleteNamespace(current, options);
    const grace = kind === 'Pod' ? (options.gracePeriodSeconds ?? current.spec?.terminationGracePeriodSeconds ?? DEFAULT_POD_GRACE_SECONDS) : 0;
    const hasFinalizers = (current.metadata.finalizers?.length ?? 0) > 0;
    if (grace <= 0 && !hasFinalizers) {
      if (options.dryRun) return { object: clone(current), removed: true };
      return { object: this.remove(kind, current, clone(current)), removed: true };
    }
    const next = clone(current);
    const deadline = new Date(this.now().getTime() + grace * 1000);
    const existing = next.metadata.deletionTimestamp ? new Date(next.metadata.deletionTimestamp) : undefined;
    if (existing && existing <= deadline) return { object: clone(current), removed: false };
    next.metadata.deletionTimestamp = this.timestamp(deadline);
    next.metadata.deletionGracePeriodSeconds = grace;
    if (options.dryRun) return { object: next, removed: false };
    return { object: this.commit('MODIFIED', kind, next, current), removed: false };
  }

  /** Removes an object for good (the kubelet after a pod's containers stopped, or a test). */
  finalize(kind: string, namespace: string | undefined, name: string): KubeObject {
    const current = this.bucket(kind).get(keyOf(this.nsFor(kind, namespace), name));
    if (!current) throw notFound(typeByKind(kind), name);
    return this.remove(kind, current, clone(current));
  }

  /**
   * Writes an object as given, creating or replacing it with no precondition (test controls and
   * seeding). Keeps uid and creationTimestamp of an existing object unless the input sets them.
   */
  put(kind: string, input: KubeObject): KubeObject {
    const existing = this.get(kind, input.metadata?.namespace, input.metadata?.name ?? '');
    if (!existing) return this.create(kind, input);
    const next = clone(input);
    next.metadata = { ...next.metadata, resourceVersion: undefined };
    return this.update(kind, next);
  }

  /** Every committed change of every kind. Returns the unsubscribe function. */
  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Watches one kind in one namespace (undefined: all). Without fromResourceVersion (or with "0")
   * the callback first gets ADDED for every existing object; with one it gets every later event from
   * the history, then live events. A version older than the history throws 410 Expired.
   */
  watch(kind: string, namespace: string | undefined, fromResourceVersion: string | undefined, callback: StoreListener): () => void {
    typeByKind(kind);
    const ns = namespace === undefined ? undefined : this.nsFor(kind, namespace);
    const watcher: Watcher = { kind, namespace: ns, callback, delivered: this.revision };
    if (fromResourceVersion === undefined || fromResourceVersion === '' || fromResourceVersion === '0') {
      for (const object of this.list(kind, ns).items) {
        callback({ type: 'ADDED', kind, object, resourceVersion: Number(object.metadata.resourceVersion) });
      }
    } else {
      const from = Number(fromResourceVersion);
      if (!Number.isInteger(from) || from < 0) throw new ApiError(400, 'BadRequest', `invalid resource version: ${fromResourceVersion}`);
      if (from < this.compactedThrough) {
        throw new ApiError(410, 'Expired', `too old resource version: ${from} (${this.compactedThrough + 1})`);
      }
      for (const event of this.history) {
        if (event.resourceVersion > from && this.watches(watcher, event)) callback(clone(event));
      }
    }
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  private watches(watcher: Watcher, event: StoreEvent): boolean {
    return event.kind === watcher.kind && (watcher.namespace === undefined || (event.object.metadata.namespace ?? '') === watcher.namespace);
  }

  private deleteNamespace(ns: KubeObject, options: DeleteOptions): DeleteResult {
    if (options.dryRun) return { object: clone(ns), removed: true };
    const name = ns.metadata.name!;
    const terminating = clone(ns);
    terminating.metadata.deletionTimestamp = this.timestamp();
    terminating.status = { ...(terminating.status ?? {}), phase: 'Terminating' };
    this.commit('MODIFIED', 'Namespace', terminating, ns);
    for (const [kind, bucket] of this.objects) {
      if (kind === 'Namespace') continue;
      for (const obj of [...bucket.values()]) {
        if (obj.metadata.namespace === name) this.remove(kind, obj, clone(obj));
      }
    }
    const last = this.bucket('Namespace').get(keyOf(undefined, name))!;
    return { object: this.remove('Namespace', last, clone(last)), removed: true };
  }

  private requireLiveNamespace(namespace: string): void {
    const ns = this.bucket('Namespace').get(keyOf(undefined, namespace));
    if (!ns) throw notFound(typeByKind('Namespace'), namespace);
    if (ns.metadata.deletionTimestamp) {
      throw new ApiError(403, 'Forbidden', `unable to create new content in namespace ${namespace} because it is being terminated`, {
        name: namespace,
        kind: 'namespaces',
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  }

  private remove(kind: string, current: KubeObject, last: KubeObject): KubeObject {
    return this.commit('DELETED', kind, last, current);
  }

  private commit(type: WatchEventType, kind: string, obj: KubeObject, previous: KubeObject | undefined): KubeObject {
    const bucket = this.bucket(kind);
    const key = keyOf(obj.metadata.namespace, obj.metadata.name!);
    this.revision += 1;
    obj.metadata.resourceVersion = String(this.revision);
    if (type === 'DELETED') bucket.delete(key);
    else bucket.set(key, obj);
    const event: StoreEvent = { type, kind, object: clone(obj), resourceVersion: this.revision };
    if (previous) event.previous = clone(previous);
    this.history.push(event);
    while (this.history.length > this.historyLimit) this.compactedThrough = this.history.shift()!.resourceVersion;
    this.pending.push(event);
    this.dispatch();
    return clone(obj);
  }

  private dispatch(): void {
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let event = this.pending.shift(); event; event = this.pending.shift()) {
        for (const watcher of [...this.watchers]) {
          if (event.resourceVersion > watcher.delivered && this.watches(watcher, event)) {
            watcher.delivered = event.resourceVersion;
            safely(() => watcher.callback(clone(event!)));
          }
        }
        for (const listener of [...this.listeners]) safely(() => listener(clone(event!)));
      }
    } finally {
      this.dispatching = false;
    }
  }

  private bucket(kind: string): Map<string, KubeObject> {
    let bucket = this.objects.get(kind);
    if (!bucket) {
      typeByKind(kind);
      bucket = new Map();
      this.objects.set(kind, bucket);
    }
    return bucket;
  }

  private nsFor(kind: string, namespace: string | undefined): string {
    return typeByKind(kind).namespaced ? (namespace ?? 'default') : '';
  }

  private timestamp(at: Date = this.now()): string {
    return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}

/** A listener's failure must not break the write that triggered it; report it and carry on. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    process.emitWarning(`kube-sim store listener failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}

function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(5)].map((b) => alphabet[b % alphabet.length]).join('');
}

function keepIfSet<K extends keyof ObjectMeta>(next: ObjectMeta, current: ObjectMeta, field: K): void {
  if (current[field] !== undefined) next[field] = current[field];
  else delete next[field];
}

function stripVersion(obj: KubeObject): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: undefined } };
}

function mergeForScope(type: ResourceType, current: KubeObject, next: KubeObject, scope: WriteScope): KubeObject {
  if (!type.subresources.includes('status') || scope === 'all') return next;
  if (scope === 'main') {
    const result = { ...next };
    if (current.status === undefined) delete result.status;
    else result.status = clone(current.status);
    return result;
  }
  const result = clone(current);
  if (next.status === undefined) delete result.status;
  else result.status = next.status;
  result.metadata.resourceVersion = next.metadata.resourceVersion;
  return result;
}

/** The API server's probe defaults (pkg/apis/core/v1/defaults.go SetDefaults_Probe), which `kubectl describe` prints. */
const PROBE_DEFAULTS = { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 };

function defaultProbes(podSpec: JsonMap | undefined): void {
  for (const container of (podSpec?.containers ?? []) as JsonMap[]) {
    for (const field of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const probe = container[field];
      if (!probe) continue;
      container[field] = { ...PROBE_DEFAULTS, ...probe, ...(probe.httpGet ? { httpGet: { scheme: 'HTTP', ...probe.httpGet } } : {}) };
    }
  }
}

function applyCreateDefaults(kind: string, obj: KubeObject): void {
  defaultProbes(kind === 'Pod' ? obj.spec : obj.spec?.template?.spec);
  if (kind === 'Pod') {
    obj.spec = { restartPolicy: 'Always', terminationGracePeriodSeconds: DEFAULT_POD_GRACE_SECONDS, ...(obj.spec ?? {}) };
    obj.status = { phase: 'Pending', ...(obj.status ?? {}) };
  } else if (kind === 'StatefulSet') {
    obj.spec = { replicas: 1, podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate' }, revisionHistoryLimit: 10, ...(obj.spec ?? {}) };
  } else if (kind === 'Deployment') {
    obj.spec = {
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...(obj.spec ?? {}),
    };
  } else if (kind === 'ReplicaSet') {
    obj.spec = { replicas: 1, ...(obj.spec ?? {}) };
  } else if (kind === 'Service') {
    obj.spec = { type: 'ClusterIP', sessionAffinity: 'None', ...(obj.spec ?? {}) };
  } else if (kind === 'Namespace') {
    obj.spec = { finalizers: ['kubernetes'], ...(obj.spec ?? {}) };
    obj.status = { phase: 'Active', ...(obj.status ?? {}) };
  }
}
