import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeSim } from '../../../src/sandbox/kube-sim/index.js';
import { call, podManifest, startSimWithNamespace, statefulSetManifest } from './helpers.js';
import { eventually, openWatch } from './watch-client.js';

let sim: KubeSim;
beforeEach(async () => {
  sim = await startSimWithNamespace();
});
afterEach(async () => {
  await sim.close();
});

const pods = '/api/v1/namespaces/ns/pods';
const sts = '/apis/apps/v1/namespaces/ns/statefulsets';

describe('kube-sim API over HTTPS', () => {
  it('answers 401 Unauthorized without a valid bearer token', async () => {
    for (const token of [null, 'wrong']) {
      const reply = await call(sim, pods, { token });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
  });

  it('serves discovery with subresources and short names', async () => {
    expect((await call(sim, '/version')).body.minor).toBe('32');
    expect((await call(sim, '/api')).body.versions).toEqual(['v1']);
    const groups = (await call(sim, '/apis')).body.groups.map((g: { name: string }) => g.name);
    expect(groups).toEqual(expect.arrayContaining(['apps', 'policy', 'autoscaling', 'coordination.k8s.io', 'discovery.k8s.io', 'authorization.k8s.io']));
    const core = (await call(sim, '/api/v1')).body.resources as { name: string; shortNames?: string[] }[];
    expect(core.map((r) => r.name)).toEqual(expect.arrayContaining(['pods', 'pods/eviction', 'pods/proxy', 'pods/status', 'services', 'endpoints']));
    expect(core.find((r) => r.name === 'pods')?.shortNames).toEqual(['po']);
    const apps = (await call(sim, '/apis/apps/v1')).body.resources as { name: string; kind: string; group?: string }[];
    expect(apps.find((r) => r.name === 'statefulsets/scale')).toMatchObject({ kind: 'Scale', group: 'autoscaling' });
    expect((await call(sim, '/apis/nope/v1')).status).toBe(404);
  });

  it('creates, gets and lists with label and field selectors', async () => {
    for (const [name, app] of [['a', 'gw'], ['b', 'gw'], ['c', 'other']] as const) {
      expect((await call(sim, pods, { method: 'POST', body: podManifest(name, { labels: { app } }) })).status).toBe(201);
    }
    const got = await call(sim, `${pods}/a`);
    expect(got.body).toMatchObject({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'a', namespace: 'ns' } });
    const list = await call(sim, `${pods}?labelSelector=${encodeURIComponent('app=gw')}`);
    expect(list.body.kind).toBe('PodList');
    expect(list.body.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['a', 'b']);
    const byField = await call(sim, `${pods}?fieldSelector=${encodeURIComponent('metadata.name!=a')}&labelSelector=${encodeURIComponent('app in (gw,other)')}`);
    expect(byField.body.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['b', 'c']);
    const paged = await call(sim, `${pods}?limit=2`);
    expect(paged.body.items).toHaveLength(2);
    const rest = await call(sim, `${pods}?limit=2&continue=${paged.body.metadata.continue}`);
    expect(rest.body.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['c']);
    expect((await call(sim, `${pods}?fieldSelector=spec.bogus%3Dx`)).status).toBe(400);
    expect((await call(sim, pods, { method: 'POST', body: podManifest('a') })).body.reason).toBe('AlreadyExists');
    const missing = await call(sim, `${pods}/zzz`);
    expect(missing.body).toMatchObject({ status: 'Failure', reason: 'NotFound', message: 'pods "zzz" not found', details: { name: 'zzz', kind: 'pods' }, code: 404 });
  });

  it('rejects invalid names and negative replicas with 422 Invalid and causes', async () => {
    const bad = await call(sim, pods, { method: 'POST', body: podManifest('Bad_Name') });
    expect(bad.status).toBe(422);
    expect(bad.body.details.causes[0]).toMatchObject({ reason: 'FieldValueInvalid', field: 'metadata.name' });
    const neg = await call(sim, sts, { method: 'POST', body: statefulSetManifest('gw', -1) });
    expect(neg.status).toBe(422);
    expect(neg.body.details).toMatchObject({ name: 'gw', group: 'apps', kind: 'StatefulSet' });
  });

  it('answers 409 Conflict for a stale resourceVersion in a PUT and inside a merge patch', async () => {
    const created = (await call(sim, pods, { method: 'POST', body: podManifest('a') })).body;
    const first = await call(sim, `${pods}/a`, { method: 'PUT', body: { ...created, metadata: { ...created.metadata, labels: { app: 'gw', v: '1' } } } });
    expect(first.status).toBe(200);
    const stalePut = await call(sim, `${pods}/a`, { method: 'PUT', body: created });
    expect(stalePut.status).toBe(409);
    expect(stalePut.body.message).toBe('Operation cannot be fulfilled on pods "a": the object has been modified; please apply your changes to the latest version and try again');
    const stalePatch = await call(sim, `${pods}/a`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { metadata: { resourceVersion: created.metadata.resourceVersion, labels: { v: '2' } } },
    });
    expect(stalePatch.body.reason).toBe('Conflict');
    const fresh = await call(sim, `${pods}/a`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { metadata: { resourceVersion: first.body.metadata.resourceVersion, labels: { v: '2' } } },
    });
    expect(fresh.body.metadata.labels).toEqual({ app: 'gw', v: '2' });
  });

  it('applies merge, strategic-merge, JSON and server-side apply patches', async () => {
    await call(sim, pods, { method: 'POST', body: podManifest('a') });
    const merge = await call(sim, `${pods}/a`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { metadata: { labels: { app: null, m: '1' } } } });
    expect(merge.body.metadata.labels).toEqual({ m: '1' });
    const strategic = await call(sim, `${pods}/a`, {
      method: 'PATCH',
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { containers: [{ name: 'gateway', image: 'new' }, { name: 'sidecar', image: 's' }] } },
    });
    expect(strategic.body.spec.containers).toEqual([
      { name: 'gateway', image: 'new', ports: [{ containerPort: 8080, name: 'admin' }] },
      { name: 'sidecar', image: 's' },
    ]);
    const json = await call(sim, `${pods}/a`, {
      method: 'PATCH',
      contentType: 'application/json-patch+json',
      body: [
        { op: 'test', path: '/metadata/labels/m', value: '1' },
        { op: 'add', path: '/metadata/labels/j', value: 'x' },
        { op: 'remove', path: '/spec/containers/1' },
        { op: 'copy', from: '/metadata/labels/j', path: '/metadata/labels/k' },
        { op: 'move', from: '/metadata/labels/k', path: '/metadata/labels/l' },
        { op: 'replace', path: '/metadata/labels/m', value: '2' },
      ],
    });
    expect(json.body.metadata.labels).toEqual({ m: '2', j: 'x', l: 'x' });
    expect(json.body.spec.containers).toHaveLength(1);
    const failedTest = await call(sim, `${pods}/a`, { method: 'PATCH', contentType: 'application/json-patch+json', body: [{ op: 'test', path: '/metadata/labels/m', value: 'nope' }] });
    expect(failedTest.status).toBe(422);
    const noManager = await call(sim, `${pods}/a`, { method: 'PATCH', contentType: 'application/apply-patch+yaml', body: { metadata: {} } });
    expect(noManager.status).toBe(422);
    expect(noManager.body.message).toContain('fieldManager: Required value');
    const yaml = await call(sim, `${pods}/a?fieldManager=test`, { method: 'PATCH', contentType: 'application/apply-patch+yaml', body: 'metadata: {}' });
    expect(yaml.status).toBe(415);
    const applied = await call(sim, `${pods}/a?fieldManager=test`, { method: 'PATCH', contentType: 'application/apply-patch+yaml', body: { metadata: { labels: { applied: 'yes' } } } });
    expect(applied.status).toBe(200);
    expect(applied.body.metadata.labels).toMatchObject({ m: '2', applied: 'yes' });
  });

  it('keeps status on a main-resource write and changes only status through /status', async () => {
    await call(sim, pods, { method: 'POST', body: podManifest('a') });
    const main = await call(sim, `${pods}/a`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { status: { phase: 'Failed' } } });
    expect(main.body.status.phase).toBe('Running');
    const status = await call(sim, `${pods}/a/status`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { status: { phase: 'Failed' }, metadata: { labels: { x: 'y' } } } });
    expect(status.body.status.phase).toBe('Failed');
    expect(status.body.metadata.labels).toEqual({ app: 'gw' });
  });

  it('does not persist a dryRun=All write', async () => {
    const dry = await call(sim, `${pods}?dryRun=All`, { method: 'POST', body: podManifest('a') });
    expect(dry.status).toBe(201);
    expect((await call(sim, `${pods}/a`)).status).toBe(404);
  });

  it('serves the StatefulSet scale subresource with preconditions', async () => {
    const created = (await call(sim, sts, { method: 'POST', body: statefulSetManifest('gw', 3) })).body;
    const scale = await call(sim, `${sts}/gw/scale`);
    expect(scale.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { replicas: 0, selector: 'app=gw' } });
    expect(scale.body.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    const patched = await call(sim, `${sts}/gw/scale`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { metadata: { resourceVersion: created.metadata.resourceVersion }, spec: { replicas: 2 } },
    });
    expect(patched.body.spec.replicas).toBe(2);
    const stale = await call(sim, `${sts}/gw/scale`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { metadata: { resourceVersion: created.metadata.resourceVersion }, spec: { replicas: 1 } },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toContain('statefulsets.apps "gw"');
    const stalePut = await call(sim, `${sts}/gw/scale`, { method: 'PUT', body: { ...scale.body, spec: { replicas: 1 } } });
    expect(stalePut.status).toBe(409);
    const negative = await call(sim, `${sts}/gw/scale`, { method: 'PUT', body: { metadata: { name: 'gw' }, spec: { replicas: -1 } } });
    expect(negative.status).toBe(422);
    expect(negative.body.message).toBe('Scale.autoscaling "gw" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    const after = await call(sim, `${sts}/gw`);
    expect(after.body.spec.replicas).toBe(2);
    expect(after.body.metadata.generation).toBe(2);
  });

  it('gives a pod deleted and re-created with the same name a new uid', async () => {
    const first = (await call(sim, pods, { method: 'POST', body: podManifest('a') })).body;
    const deleting = await call(sim, `${pods}/a?gracePeriodSeconds=30`, { method: 'DELETE' });
    expect(deleting.body.metadata.deletionTimestamp).toBeDefined();
    expect(deleting.body.metadata.deletionGracePeriodSeconds).toBe(30);
    expect((await call(sim, `${pods}/a`)).status).toBe(200);
    await call(sim, `${pods}/a`, { method: 'DELETE', body: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 } });
    expect((await call(sim, `${pods}/a`)).status).toBe(404);
    const second = (await call(sim, pods, { method: 'POST', body: podManifest('a') })).body;
    expect(second.metadata.uid).not.toBe(first.metadata.uid);
  });

  it('streams ADDED, MODIFIED and DELETED in order, resumes from a resourceVersion and honours timeoutSeconds', async () => {
    const watch = openWatch(sim, `${pods}?watch=true&timeoutSeconds=2&labelSelector=app%3Dgw`);
    await watch.connected;
    const created = (await call(sim, pods, { method: 'POST', body: podManifest('a') })).body;
    await call(sim, pods, { method: 'POST', body: podManifest('other', { labels: { app: 'other' } }) });
    await call(sim, `${pods}/a`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { metadata: { annotations: { x: 'y' } } } });
    await call(sim, `${pods}/a?gracePeriodSeconds=0`, { method: 'DELETE' });
    const events = await watch.ended;
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
    expect(events[0]!.object.kind).toBe('Pod');

    const resumed = openWatch(sim, `${pods}?watch=true&timeoutSeconds=1&resourceVersion=${created.metadata.resourceVersion}`);
    const replay = await resumed.ended;
    expect(replay.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED other', 'MODIFIED a', 'DELETED a']);

    const fresh = openWatch(sim, `${pods}?watch=true&timeoutSeconds=1`);
    expect((await fresh.ended).map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED other']);
  });

  it('sends a 410 Expired ERROR event for a resourceVersion older than the history, and bookmarks when asked', async () => {
    await sim.close();
    const { startKubeSim, seedNamespace } = await import('../../../src/sandbox/kube-sim/index.js');
    sim = await startKubeSim({ historyLimit: 2, bookmarkIntervalMs: 100 });
    seedNamespace(sim.store, 'ns');
    for (const name of ['a', 'b', 'c']) sim.store.create('Pod', podManifest(name));
    const expired = await openWatch(sim, `${pods}?watch=true&resourceVersion=1`).ended;
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    const bookmarks = openWatch(sim, `${pods}?watch=true&allowWatchBookmarks=true&resourceVersion=${sim.store.resourceVersion}`);
    await eventually(() => bookmarks.events.some((e) => e.type === 'BOOKMARK'));
    bookmarks.stop();
    expect(bookmarks.events.find((e) => e.type === 'BOOKMARK')?.object.metadata.resourceVersion).toBe(sim.store.resourceVersion);
  });

  it('answers SelfSubjectAccessReview from the deny rules, and denies the real request too', async () => {
    await call(sim, sts, { method: 'POST', body: statefulSetManifest('gw', 3) });
    const review = (subresource?: string) => ({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { namespace: 'ns', verb: 'patch', group: 'apps', resource: 'statefulsets', ...(subresource ? { subresource } : {}), name: 'gw' } },
    });
    const ssar = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
    expect((await call(sim, ssar, { method: 'POST', body: review('scale') })).body.status.allowed).toBe(true);
    sim.controls.deny({ verbs: ['patch'], resources: ['statefulsets/scale'] });
    expect((await call(sim, ssar, { method: 'POST', body: review('scale') })).body.status.allowed).toBe(false);
    expect((await call(sim, ssar, { method: 'POST', body: review() })).body.status.allowed).toBe(true);
    const forbidden = await call(sim, `${sts}/gw/scale`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { spec: { replicas: 1 } } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toBe('statefulsets.apps "gw" is forbidden: User "conduit-sandbox" cannot patch resource "statefulsets/scale" in API group "apps" in the namespace "ns"');
    expect((await call(sim, `${sts}/gw/scale`)).status).toBe(200);
  });

  it('injects faults with Retry-After, retryAfterSeconds, a count, latency and resets', async () => {
    const fault = sim.controls.addFault({ method: 'GET', resource: 'pods', status: 429, retryAfterHeader: 7, retryAfterSeconds: 3, times: 2 });
    for (let i = 0; i < 2; i++) {
      const reply = await call(sim, pods);
      expect(reply.status).toBe(429);
      expect(reply.headers['retry-after']).toBe('7');
      expect(reply.body).toMatchObject({ kind: 'Status', reason: 'TooManyRequests', details: { retryAfterSeconds: 3 }, code: 429 });
    }
    expect((await call(sim, pods)).status).toBe(200);
    expect(sim.controls.listFaults().find((f) => f.id === fault.id)).toBeUndefined();

    sim.controls.addFault({ path: '^/api/v1/namespaces/ns/pods$', reset: true, times: 1 });
    await expect(call(sim, pods)).rejects.toThrow();
    sim.controls.addFault({ path: 'pods', latencyMs: 50, times: 1 });
    expect((await call(sim, pods)).status).toBe(200);
  });

  it('logs requests, and a read-only session has no mutating requests', async () => {
    sim.controls.clearRequestLog();
    await call(sim, pods);
    await call(sim, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      method: 'POST',
      body: { spec: { resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'ns' } } },
    });
    expect(sim.controls.mutatingRequests()).toEqual([]);
    await call(sim, pods, { method: 'POST', body: podManifest('a') });
    const log = sim.requestLog();
    expect(log.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'GET /api/v1/namespaces/ns/pods 200',
      'POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews 201',
      'POST /api/v1/namespaces/ns/pods 201',
    ]);
    expect(sim.controls.mutatingRequests()).toHaveLength(1);
    expect(log[2]).toMatchObject({ verb: 'create', resource: 'pods', contentType: 'application/json' });
  });

  it('exposes the same controls over the control port', async () => {
    const put = await fetch(`${sim.controlUrl}/objects/Pod`, { method: 'PUT', body: JSON.stringify(podManifest('a')) });
    expect(put.status).toBe(200);
    await fetch(`${sim.controlUrl}/objects/pods/a?namespace=ns`, { method: 'PATCH', body: JSON.stringify({ status: { podIP: '127.0.3.9' } }) });
    expect((await call(sim, `${pods}/a`)).body.status.podIP).toBe('127.0.3.9');
    await fetch(`${sim.controlUrl}/faults`, { method: 'POST', body: JSON.stringify({ resource: 'pods', status: 503 }) });
    expect((await call(sim, `${pods}/a`)).status).toBe(503);
    await fetch(`${sim.controlUrl}/faults`, { method: 'DELETE' });
    await fetch(`${sim.controlUrl}/rbac/deny`, { method: 'POST', body: JSON.stringify({ verbs: ['get'], resources: ['pods'] }) });
    expect((await call(sim, `${pods}/a`)).status).toBe(403);
    await fetch(`${sim.controlUrl}/rbac/deny`, { method: 'DELETE' });
    const log = (await (await fetch(`${sim.controlUrl}/requests`)).json()) as { status: number }[];
    expect(log.map((e) => e.status)).toEqual([200, 503, 403]);
    await fetch(`${sim.controlUrl}/objects/pods/a?namespace=ns`, { method: 'DELETE' });
    expect((await call(sim, `${pods}/a`)).body.metadata.deletionTimestamp).toBeDefined();
    await fetch(`${sim.controlUrl}/objects/pods/a/finalize?namespace=ns`, { method: 'POST' });
    expect((await call(sim, `${pods}/a`)).status).toBe(404);
  });

  it('deletes with propagationPolicy: Orphan and Foreground become finalizers; a failed precondition leaves none', async () => {
    await call(sim, sts, { method: 'POST', body: statefulSetManifest('fg', 1) });
    const stale = await call(sim, `${sts}/fg`, { method: 'DELETE', body: { propagationPolicy: 'Foreground', preconditions: { uid: 'not-the-uid' } } });
    expect(stale.status).toBe(409);
    expect((await call(sim, `${sts}/fg`)).body.metadata.finalizers).toBeUndefined();
    const foreground = await call(sim, `${sts}/fg`, { method: 'DELETE', body: { propagationPolicy: 'Foreground' } });
    expect(foreground.status).toBe(200);
    expect(foreground.body.metadata).toMatchObject({ finalizers: ['foregroundDeletion'], deletionTimestamp: expect.any(String) });
    const bad = await call(sim, `${sts}/fg?propagationPolicy=Sideways`, { method: 'DELETE' });
    expect(bad.status).toBe(422);
    await call(sim, sts, { method: 'POST', body: statefulSetManifest('or', 1) });
    const orphan = await call(sim, `${sts}/or`, { method: 'DELETE', body: { orphanDependents: true } });
    expect(orphan.body.metadata.finalizers).toEqual(['orphan']);
  });
});
