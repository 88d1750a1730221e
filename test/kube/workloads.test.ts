import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RefusedError, UsageError } from '../../src/ops/errors.js';
import { createPod, createStatefulSet, createStatefulSetWithPods, startSimWorld, type SimWorld } from './support.js';

let world: SimWorld;
beforeAll(async () => {
  world = await startSimWorld();
});
afterAll(async () => {
  await world.close();
});
beforeEach(() => {
  world.sim.controls.clearFaults();
  world.sim.controls.clearDenyRules();
  world.sim.controls.clearRequestLog();
});

function createPdb(namespace: string, name: string, selector: object, minAvailable: number | string) {
  world.sim.store.create('PodDisruptionBudget', { metadata: { name, namespace }, spec: { selector, minAvailable } });
}

describe('StatefulSet reads', () => {
  it('getStatefulSet: the fields the plan needs; undefined on 404', async () => {
    const kube = await world.connect('wl-sts');
    const sts = createStatefulSet(world.sim, 'wl-sts', 'gw', 3, { annotations: { 'conduit.dev/admin-port': '9100' }, serviceName: 'gw-svc' });
    const info = await kube.workloads.getStatefulSet('gw');
    expect(info).toMatchObject({
      name: 'gw',
      namespace: 'wl-sts',
      uid: sts.metadata.uid,
      resourceVersion: sts.metadata.resourceVersion,
      replicas: 3,
      podManagementPolicy: 'OrderedReady',
      terminationGracePeriodSeconds: 45,
      selector: 'app=gw',
      serviceName: 'gw-svc',
      annotations: { 'conduit.dev/admin-port': '9100' },
    });
    expect(await kube.workloads.getStatefulSet('absent')).toBeUndefined();
  });

  it('podsOf: pods of the StatefulSet by its selector and ownership', async () => {
    const kube = await world.connect('wl-pods');
    createStatefulSetWithPods(world.sim, 'wl-pods', 'gw', 3);
    createPod(world.sim, 'wl-pods', { name: 'gw-stray', labels: { app: 'gw' } });
    const info = (await kube.workloads.getStatefulSet('gw'))!;
    expect((await kube.workloads.podsOf(info)).map((p) => p.name)).toEqual(['gw-0', 'gw-1', 'gw-2']);
  });

  it('getScale on a missing StatefulSet → UsageError naming it', async () => {
    const kube = await world.connect('wl-scale-missing');
    await expect(kube.workloads.getScale('nope')).rejects.toThrow(UsageError);
    await expect(kube.workloads.getScale('nope')).rejects.toThrow(/statefulsets "nope" not found in namespace "wl-scale-missing"/);
  });
});

describe('setReplicas: the conditional scale write', () => {
  it('writes with the resourceVersion read, as a merge patch of the scale subresource', async () => {
    const kube = await world.connect('wl-scale');
    createStatefulSet(world.sim, 'wl-scale', 'gw', 3);
    const scale = await kube.workloads.getScale('gw');
    expect(scale.replicas).toBe(3);
    const result = await kube.workloads.setReplicas('gw', 2, scale.resourceVersion);
    expect(result.kind).toBe('written');
    expect(world.sim.store.get('StatefulSet', 'wl-scale', 'gw')!.spec!.replicas).toBe(2);
    const patch = world.sim.controls.requestLog().find((e) => e.method === 'PATCH')!;
    expect(patch.path).toBe('/apis/apps/v1/namespaces/wl-scale/statefulsets/gw/scale');
    expect(patch.contentType).toBe('application/merge-patch+json');
  });

  it('a stale resourceVersion gets 409 → conflict, and nothing is written', async () => {
    const kube = await world.connect('wl-scale-stale');
    createStatefulSet(world.sim, 'wl-scale-stale', 'gw', 3);
    const scale = await kube.workloads.getScale('gw');
    // A colleague (or an HPA) changes replicas after our plan was made.
    world.sim.store.mutate('StatefulSet', 'wl-scale-stale', 'gw', (sts) => {
      sts.spec!.replicas = 5;
    });
    const result = await kube.workloads.setReplicas('gw', 2, scale.resourceVersion);
    expect(result.kind).toBe('conflict');
    expect(world.sim.store.get('StatefulSet', 'wl-scale-stale', 'gw')!.spec!.replicas).toBe(5);
    // Exactly one PATCH: a conflict is returned, never retried.
    const patches = world.sim.controls.requestLog().filter((e) => e.method === 'PATCH');
    expect(patches.map((p) => p.status)).toEqual([409]);
  });

  it('rejects a negative or fractional count before any request', async () => {
    const kube = await world.connect('wl-scale-bad');
    await expect(kube.workloads.setReplicas('gw', -1, '1')).rejects.toBeInstanceOf(UsageError);
    await expect(kube.workloads.setReplicas('gw', 1.5, '1')).rejects.toBeInstanceOf(UsageError);
    expect(world.sim.controls.mutatingRequests()).toEqual([]);
  });
});

describe('evict', () => {
  it('201 → evicted; 404 → gone', async () => {
    const kube = await world.connect('wl-evict');
    createStatefulSetWithPods(world.sim, 'wl-evict', 'gw', 2);
    const [zero] = await kube.fleet.resolve({ kind: 'names', names: ['gw-0'] });
    expect(await kube.workloads.evict(zero!)).toEqual({ kind: 'evicted' });
    expect(world.sim.store.get('Pod', 'wl-evict', 'gw-0')!.metadata.deletionTimestamp).toBeDefined();
    expect(await kube.workloads.evict({ name: 'gw-9' })).toEqual({ kind: 'gone' });
  });

  it('a re-created pod (new uid) is not evicted in place of the old one', async () => {
    const kube = await world.connect('wl-evict-uid');
    const { sts } = createStatefulSetWithPods(world.sim, 'wl-evict-uid', 'gw', 1);
    const [old] = await kube.fleet.resolve({ kind: 'names', names: ['gw-0'] });
    world.sim.store.delete('Pod', 'wl-evict-uid', 'gw-0', { gracePeriodSeconds: 0 });
    const fresh = createPod(world.sim, 'wl-evict-uid', { name: 'gw-0', labels: { app: 'gw' }, owner: sts });
    expect(await kube.workloads.evict(old!)).toEqual({ kind: 'gone' });
    expect(world.sim.store.get('Pod', 'wl-evict-uid', 'gw-0')!.metadata).toMatchObject({ uid: fresh.metadata.uid });
    expect(world.sim.store.get('Pod', 'wl-evict-uid', 'gw-0')!.metadata.deletionTimestamp).toBeUndefined();
  });

  it('429 from a PodDisruptionBudget → blocked-by-pdb with the PDB name and message', async () => {
    const kube = await world.connect('wl-evict-pdb');
    createStatefulSetWithPods(world.sim, 'wl-evict-pdb', 'gw', 2);
    createPdb('wl-evict-pdb', 'gw-pdb', { matchLabels: { app: 'gw' } }, 2);
    const result = await kube.workloads.evict({ name: 'gw-0' });
    expect(result).toMatchObject({ kind: 'blocked-by-pdb', pdb: 'gw-pdb' });
    expect(result.kind === 'blocked-by-pdb' && result.message).toMatch(/needs 2 healthy pods and has 2/);
    expect(world.sim.store.get('Pod', 'wl-evict-pdb', 'gw-0')!.metadata.deletionTimestamp).toBeUndefined();
  });

  it('429 with a PDB cause and retryAfterSeconds carries the wait', async () => {
    const kube = await world.connect('wl-evict-pdb-retry');
    world.sim.controls.addFault({
      resource: 'pods/eviction',
      status: 429,
      retryAfterSeconds: 10,
      causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget edge-pdb needs 3 healthy pods and has 2 currently' }],
      times: 1,
    });
    expect(await kube.workloads.evict({ name: 'gw-0' })).toEqual({
      kind: 'blocked-by-pdb',
      pdb: 'edge-pdb',
      message: 'The disruption budget edge-pdb needs 3 healthy pods and has 2 currently',
      retryAfterMs: 10_000,
    });
  });

  it('429 with retryAfterSeconds and no PDB cause → throttled for that long, not a PDB denial', async () => {
    const kube = await world.connect('wl-evict-retry');
    world.sim.controls.addFault({ resource: 'pods/eviction', status: 429, retryAfterSeconds: 10, times: 1 });
    expect(await kube.workloads.evict({ name: 'gw-0' })).toMatchObject({ kind: 'throttled', retryAfterMs: 10_000 });
  });

  it('429 API throttling → throttled honouring Retry-After', async () => {
    const kube = await world.connect('wl-evict-throttle');
    world.sim.controls.addFault({ resource: 'pods/eviction', status: 429, retryAfterHeader: 7, message: 'too many requests, please try again later', times: 1 });
    expect(await kube.workloads.evict({ name: 'gw-0' })).toEqual({ kind: 'throttled', retryAfterMs: 7_000, message: 'too many requests, please try again later' });
  });

  it('500 (two PDBs select the pod) → RefusedError at once, nothing deleted, no DELETE sent', async () => {
    const kube = await world.connect('wl-evict-500');
    createStatefulSetWithPods(world.sim, 'wl-evict-500', 'gw', 3);
    createPdb('wl-evict-500', 'a', { matchLabels: { app: 'gw' } }, 1);
    createPdb('wl-evict-500', 'b', { matchExpressions: [{ key: 'app', operator: 'In', values: ['gw'] }] }, 1);
    const error = await kube.workloads.evict({ name: 'gw-0' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefusedError);
    expect((error as Error).message).toMatch(/more than one PodDisruptionBudget/);
    expect(world.sim.store.get('Pod', 'wl-evict-500', 'gw-0')!.metadata.deletionTimestamp).toBeUndefined();
    expect(world.sim.controls.requestLog().filter((e) => e.method === 'POST' || e.method === 'DELETE')).toHaveLength(1);
  });

  it('403 → RefusedError naming the verb and resource', async () => {
    const kube = await world.connect('wl-evict-403');
    createStatefulSetWithPods(world.sim, 'wl-evict-403', 'gw', 1);
    world.sim.controls.deny({ verbs: ['create'], resources: ['pods/eviction'] });
    const error = await kube.workloads.evict({ name: 'gw-0' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefusedError);
    expect((error as Error).message).toMatch(/forbidden: cannot create pods\/eviction "gw-0" in namespace "wl-evict-403"/);
  });
});

describe('deletePod with a uid precondition', () => {
  it('deletes the pod it was given', async () => {
    const kube = await world.connect('wl-delete');
    createStatefulSetWithPods(world.sim, 'wl-delete', 'gw', 1);
    const [pod] = await kube.fleet.resolve({ kind: 'names', names: ['gw-0'] });
    expect(await kube.workloads.deletePod(pod!)).toBe('deleted');
    expect(world.sim.store.get('Pod', 'wl-delete', 'gw-0')!.metadata.deletionTimestamp).toBeDefined();
  });

  it('pod re-created with the same name (new uid) → gone, and the new pod is NOT deleted', async () => {
    const kube = await world.connect('wl-delete-uid');
    const { sts } = createStatefulSetWithPods(world.sim, 'wl-delete-uid', 'gw', 1);
    const [old] = await kube.fleet.resolve({ kind: 'names', names: ['gw-0'] });
    world.sim.store.delete('Pod', 'wl-delete-uid', 'gw-0', { gracePeriodSeconds: 0 });
    const fresh = createPod(world.sim, 'wl-delete-uid', { name: 'gw-0', labels: { app: 'gw' }, owner: sts });
    expect(await kube.workloads.deletePod(old!)).toBe('gone');
    const now = world.sim.store.get('Pod', 'wl-delete-uid', 'gw-0')!;
    expect(now.metadata.uid).toBe(fresh.metadata.uid);
    expect(now.metadata.deletionTimestamp).toBeUndefined();
  });

  it('a pod already gone → gone; an instance without a uid is refused', async () => {
    const kube = await world.connect('wl-delete-gone');
    expect(await kube.workloads.deletePod({ name: 'gw-0', uid: 'b7d8c0de-0000-4000-8000-000000000000' })).toBe('gone');
    await expect(kube.workloads.deletePod({ name: 'gw-0' })).rejects.toBeInstanceOf(RefusedError);
  });
});

describe('pdbsFor and hpasTargeting', () => {
  it('PDBs whose selector matches the pod labels (matchLabels and matchExpressions)', async () => {
    const kube = await world.connect('wl-pdbs');
    createStatefulSetWithPods(world.sim, 'wl-pdbs', 'gw', 3);
    createPdb('wl-pdbs', 'by-label', { matchLabels: { app: 'gw' } }, 2);
    createPdb('wl-pdbs', 'by-expression', { matchExpressions: [{ key: 'app', operator: 'In', values: ['gw', 'x'] }, { key: 'legacy', operator: 'DoesNotExist' }] }, '50%');
    createPdb('wl-pdbs', 'other', { matchLabels: { app: 'web' } }, 1);
    createPdb('wl-pdbs', 'excluded', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['gw'] }] }, 1);
    const pdbs = await kube.workloads.pdbsFor({ name: 'gw-1' });
    expect(pdbs.map((p) => p.name).sort()).toEqual(['by-expression', 'by-label']);
    const byLabel = pdbs.find((p) => p.name === 'by-label')!;
    expect(byLabel).toMatchObject({ selector: 'app=gw', minAvailable: 2 });
    expect(await kube.workloads.pdbsFor({ name: 'gw-404' })).toEqual([]);
  });

  it('HPAs whose scaleTargetRef is the StatefulSet', async () => {
    const kube = await world.connect('wl-hpa');
    const hpa = (name: string, kind: string, target: string) =>
      world.sim.store.create('HorizontalPodAutoscaler', {
        metadata: { name, namespace: 'wl-hpa' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind, name: target }, minReplicas: 2, maxReplicas: 6 },
      });
    hpa('gw-hpa', 'StatefulSet', 'gw');
    hpa('web-hpa', 'Deployment', 'gw');
    hpa('other-hpa', 'StatefulSet', 'other');
    expect(await kube.workloads.hpasTargeting('StatefulSet', 'gw')).toEqual([{ name: 'gw-hpa', minReplicas: 2, maxReplicas: 6 }]);
  });
});

describe('denied (SelfSubjectAccessReview)', () => {
  it('returns only the checks RBAC does not allow', async () => {
    const kube = await world.connect('wl-ssar');
    world.sim.controls.deny({ verbs: ['patch'], resources: ['statefulsets/scale'], apiGroups: ['apps'] });
    const checks = [
      { verb: 'get', group: '', resource: 'pods' },
      { verb: 'patch', group: 'apps', resource: 'statefulsets', subresource: 'scale', name: 'gw' },
      { verb: 'get', group: 'apps', resource: 'statefulsets', subresource: 'scale', name: 'gw' },
    ];
    expect(await kube.workloads.denied(checks)).toEqual([checks[1]]);
    world.sim.controls.clearDenyRules();
    expect(await kube.workloads.denied(checks)).toEqual([]);
    expect(world.sim.controls.mutatingRequests()).toEqual([]);
  });
});

describe('endpointReadiness', () => {
  it('reads the pod in the Service’s EndpointSlices', async () => {
    const kube = await world.connect('wl-eps');
    createStatefulSetWithPods(world.sim, 'wl-eps', 'gw', 3);
    const pods = await kube.fleet.resolve({ kind: 'workload', workloadKind: 'statefulset', name: 'gw' });
    const endpoint = (i: number, ready: boolean | undefined) => ({
      addresses: [pods[i]!.address!],
      conditions: ready === undefined ? {} : { ready },
      targetRef: { kind: 'Pod', name: pods[i]!.name, namespace: 'wl-eps', uid: pods[i]!.uid },
    });
    world.sim.store.create('EndpointSlice', {
      metadata: { name: 'gw-abcde', namespace: 'wl-eps', labels: { 'kubernetes.io/service-name': 'gw' } },
      addressType: 'IPv4',
      endpoints: [endpoint(0, true), endpoint(1, false), endpoint(2, undefined)],
      ports: [{ name: 'ws', port: 9088, protocol: 'TCP' }],
    });
    world.sim.store.create('EndpointSlice', {
      metadata: { name: 'other-xyz', namespace: 'wl-eps', labels: { 'kubernetes.io/service-name': 'other' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['127.0.99.1'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'gw-9', namespace: 'wl-eps' } }],
    });
    expect(await kube.workloads.endpointReadiness('gw', pods[0]!)).toBe('ready');
    expect(await kube.workloads.endpointReadiness('gw', pods[1]!)).toBe('not-ready');
    expect(await kube.workloads.endpointReadiness('gw', pods[2]!)).toBe('unknown');
    expect(await kube.workloads.endpointReadiness('gw', { name: 'gw-9', uid: 'someone-else' })).toBe('absent');
    // Same name, new uid: the slice lists the old pod, not this one.
    expect(await kube.workloads.endpointReadiness('gw', { ...pods[0]!, uid: 'recreated' })).toBe('absent');
  });
});
