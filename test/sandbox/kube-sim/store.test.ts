import { describe, expect, it } from 'vitest';
import { KubeStore, type StoreEvent } from '../../../src/sandbox/kube-sim/store.js';
import { ApiError } from '../../../src/sandbox/kube-sim/status.js';

function storeWithNamespace(): KubeStore {
  const store = new KubeStore();
  store.create('Namespace', { metadata: { name: 'ns' } });
  return store;
}

function pod(name: string, labels: Record<string, string> = {}) {
  return { metadata: { name, namespace: 'ns', labels }, spec: { containers: [{ name: 'c', image: 'x' }] } };
}

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('KubeStore', () => {
  it('assigns uid, increasing resourceVersions and rejects duplicates and bad names', () => {
    const store = storeWithNamespace();
    const a = store.create('Pod', pod('a'));
    const b = store.create('Pod', pod('b'));
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(apiError(() => store.create('Pod', pod('a'))).reason).toBe('AlreadyExists');
    const bad = apiError(() => store.create('Pod', pod('Bad_Name')));
    expect(bad.code).toBe(422);
    expect(bad.details?.causes?.[0]?.field).toBe('metadata.name');
    expect(apiError(() => store.create('Pod', { metadata: { name: 'x', namespace: 'missing' } })).code).toBe(404);
  });

  it('read hands a part of the stored object out without a copy, and a missing object is 404', () => {
    const store = storeWithNamespace();
    const created = store.create('Pod', pod('a', { app: 'gw' }));
    expect(store.read('Pod', 'ns', 'a', (p) => [p.metadata.uid, p.metadata.labels?.app])).toEqual([created.metadata.uid, 'gw']);
    store.mutate('Pod', 'ns', 'a', (p) => {
      p.metadata.labels = { app: 'changed' };
    });
    expect(store.read('Pod', 'ns', 'a', (p) => p.metadata.labels?.app)).toBe('changed');
    const missing = apiError(() => store.read('Pod', 'ns', 'nope', () => 1));
    expect(missing.code).toBe(404);
  });

  it('lists by label and field selector', () => {
    const store = storeWithNamespace();
    store.create('Pod', pod('a', { app: 'gw', tier: 'edge' }));
    store.create('Pod', pod('b', { app: 'gw' }));
    store.create('Pod', pod('c', { app: 'other' }));
    const names = (sel: Parameters<KubeStore['list']>[2]) => store.list('Pod', 'ns', sel).items.map((p) => p.metadata.name);
    expect(names({ labelSelector: 'app=gw' })).toEqual(['a', 'b']);
    expect(names({ labelSelector: 'app in (gw,other),!tier' })).toEqual(['b', 'c']);
    expect(names({ labelSelector: 'tier' })).toEqual(['a']);
    expect(names({ labelSelector: 'app!=gw' })).toEqual(['c']);
    expect(names({ labelSelector: 'app notin (gw)' })).toEqual(['c']);
    expect(names({ fieldSelector: 'metadata.name!=a,status.phase=Pending' })).toEqual(['b', 'c']);
    expect(names({ labelSelector: { matchLabels: { app: 'gw' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] } })).toEqual(['a']);
  });

  it('rejects a stale resourceVersion on update and in a patch body', () => {
    const store = storeWithNamespace();
    const created = store.create('Pod', pod('a'));
    const updated = store.update('Pod', { ...created, metadata: { ...created.metadata, labels: { v: '2' } } });
    expect(apiError(() => store.update('Pod', created)).reason).toBe('Conflict');
    const stale = apiError(() => store.patch('Pod', 'ns', 'a', 'merge', { metadata: { resourceVersion: created.metadata.resourceVersion, labels: { v: '3' } } }));
    expect(stale.message).toContain('the object has been modified');
    const ok = store.patch('Pod', 'ns', 'a', 'merge', { metadata: { resourceVersion: updated.metadata.resourceVersion, labels: { v: '3' } } });
    expect(ok.metadata.labels).toEqual({ v: '3' });
  });

  it('keeps a gracefully deleted pod until finalize, and a re-created pod gets a new uid', () => {
    const store = storeWithNamespace();
    const first = store.create('Pod', pod('a'));
    const { object, removed } = store.delete('Pod', 'ns', 'a', { gracePeriodSeconds: 30 });
    expect(removed).toBe(false);
    expect(object.metadata.deletionTimestamp).toBeDefined();
    expect(store.get('Pod', 'ns', 'a')).toBeDefined();
    store.finalize('Pod', 'ns', 'a');
    expect(store.get('Pod', 'ns', 'a')).toBeUndefined();
    const second = store.create('Pod', pod('a'));
    expect(second.metadata.uid).not.toBe(first.metadata.uid);
    expect(store.delete('Pod', 'ns', 'a', { gracePeriodSeconds: 0 }).removed).toBe(true);
  });

  it('delivers ordered events to watchers and resumes from a resourceVersion', () => {
    const store = storeWithNamespace();
    const seen: string[] = [];
    const off = store.watch('Pod', 'ns', undefined, (e) => seen.push(`${e.type} ${e.object.metadata.name}`));
    const a = store.create('Pod', pod('a'));
    store.mutate('Pod', 'ns', 'a', (p) => (p.metadata.labels = { x: 'y' }));
    store.delete('Pod', 'ns', 'a', { gracePeriodSeconds: 0 });
    off();
    expect(seen).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
    const replay: StoreEvent[] = [];
    store.watch('Pod', 'ns', a.metadata.resourceVersion, (e) => replay.push(e))();
    expect(replay.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
  });

  it('answers 410 Expired for a resourceVersion older than the history', () => {
    const store = new KubeStore({ historyLimit: 3 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) store.create('Namespace', { metadata: { name } });
    expect(apiError(() => store.watch('Namespace', undefined, '1', () => {})).code).toBe(410);
  });

  it('lets a listener write without reordering events for others', () => {
    const store = storeWithNamespace();
    store.subscribe((e) => {
      if (e.kind === 'Pod' && e.type === 'ADDED') store.mutate('Pod', 'ns', e.object.metadata.name!, (p) => (p.status = { phase: 'Running' }));
    });
    const versions: number[] = [];
    store.subscribe((e) => versions.push(e.resourceVersion));
    store.create('Pod', pod('a'));
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    expect(store.get('Pod', 'ns', 'a')?.status?.phase).toBe('Running');
  });

  it('bumps generation on StatefulSet spec changes and validates replicas', () => {
    const store = storeWithNamespace();
    const sts = {
      metadata: { name: 'gw', namespace: 'ns' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'gw' } }, template: { metadata: { labels: { app: 'gw' } } } },
    };
    expect(store.create('StatefulSet', sts).metadata.generation).toBe(1);
    expect(store.patch('StatefulSet', 'ns', 'gw', 'merge', { spec: { replicas: 2 } }).metadata.generation).toBe(2);
    expect(store.mutate('StatefulSet', 'ns', 'gw', (s) => (s.status = { replicas: 2 })).metadata.generation).toBe(2);
    const neg = apiError(() => store.patch('StatefulSet', 'ns', 'gw', 'merge', { spec: { replicas: -1 } }));
    expect(neg.message).toBe('StatefulSet.apps "gw" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  });
});

describe('KubeStore namespaces and finalizers', () => {
  it('deleting a namespace removes its objects and refuses unknown kinds', () => {
    const store = storeWithNamespace();
    store.create('Pod', pod('a'));
    const seen: string[] = [];
    store.subscribe((e) => seen.push(`${e.type} ${e.kind} ${e.object.metadata.name}`));
    store.delete('Namespace', undefined, 'ns');
    expect(store.get('Pod', 'ns', 'a')).toBeUndefined();
    expect(seen).toEqual(['MODIFIED Namespace ns', 'DELETED Pod a', 'DELETED Namespace ns']);
    expect(() => store.list('Widget')).toThrow(/does not know kind Widget/);
  });

  it('keeps an object with finalizers until the last one is removed', () => {
    const store = storeWithNamespace();
    store.create('Lease', { metadata: { name: 'lock', namespace: 'ns', finalizers: ['example.com/hold'] }, spec: { holderIdentity: 'me' } });
    expect(store.delete('Lease', 'ns', 'lock').removed).toBe(false);
    store.mutate('Lease', 'ns', 'lock', (l) => (l.metadata.finalizers = []));
    expect(store.get('Lease', 'ns', 'lock')).toBeUndefined();
  });
});
