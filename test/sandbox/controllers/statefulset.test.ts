import { afterEach, describe, expect, it } from 'vitest';
import { startEndpointsController } from '../../../src/sandbox/controllers/endpoints.js';
import { startStatefulSetController, type ControllerHandle } from '../../../src/sandbox/controllers/statefulset.js';
import { seedNamespace } from '../../../src/sandbox/kube-sim/seed.js';
import { KubeStore, type KubeObject } from '../../../src/sandbox/kube-sim/store.js';
import { conduitManifests } from '../../../src/sandbox/manifests.js';

const NS = 'demo';

function statefulSet(replicas: number, policy: 'OrderedReady' | 'Parallel' = 'OrderedReady', partition = 0): KubeObject {
  return conduitManifests({ namespace: NS, name: 'web', replicas, podManagementPolicy: policy, partition, preStopCommand: null }).statefulSet;
}

let handles: ControllerHandle[] = [];
afterEach(() => {
  for (const h of handles) h.stop();
  handles = [];
});

function world() {
  const store = new KubeStore();
  seedNamespace(store, NS);
  handles.push(startStatefulSetController(store), startEndpointsController(store));
  const created: string[] = [];
  const deleted: string[] = [];
  store.subscribe((e) => {
    if (e.kind !== 'Pod') return;
    if (e.type === 'ADDED') created.push(e.object.metadata.name!);
    if (e.type === 'MODIFIED' && e.object.metadata.deletionTimestamp && !e.previous?.metadata.deletionTimestamp) deleted.push(e.object.metadata.name!);
  });
  let nextIp = 1;
  const settle = async () => {
    for (let i = 0; i < 5; i += 1) {
      await Promise.all(handles.map((h) => h.idle()));
      await new Promise((r) => setImmediate(r));
    }
  };
  // The kubelet's part, done by hand: run a pod and mark it Ready, or remove a deleted one.
  const markReady = (name: string, ready = true) =>
    store.mutate('Pod', NS, name, (pod) => {
      pod.status = {
        phase: 'Running',
        podIP: pod.status?.podIP ?? `127.0.50.${nextIp++}`,
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      };
    });
  const finalizeTerminating = () => {
    for (const pod of store.list('Pod', NS).items) if (pod.metadata.deletionTimestamp) store.finalize('Pod', NS, pod.metadata.name!);
  };
  const podNames = () => store.list('Pod', NS).items.map((p) => p.metadata.name!).sort();
  const sts = () => store.get('StatefulSet', NS, 'web')!;
  return { store, created, deleted, settle, markReady, finalizeTerminating, podNames, sts };
}

async function readyAll(w: ReturnType<typeof world>) {
  for (let guard = 0; guard < 20; guard += 1) {
    await w.settle();
    const pending = w.store.list('Pod', NS).items.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Running');
    const terminating = w.store.list('Pod', NS).items.some((p) => p.metadata.deletionTimestamp);
    if (terminating) w.finalizeTerminating();
    if (pending.length === 0 && !terminating) return;
    for (const pod of pending) w.markReady(pod.metadata.name!);
  }
}

describe('StatefulSet controller', () => {
  it('OrderedReady creates one ordinal at a time, each only after the previous is Ready', async () => {
    const w = world();
    w.store.create('StatefulSet', statefulSet(3));
    await w.settle();
    expect(w.podNames()).toEqual(['web-0']);
    w.markReady('web-0', false);
    await w.settle();
    expect(w.podNames()).toEqual(['web-0']);
    w.markReady('web-0');
    await w.settle();
    expect(w.podNames()).toEqual(['web-0', 'web-1']);
    await readyAll(w);
    expect(w.created).toEqual(['web-0', 'web-1', 'web-2']);
    const pod = w.store.get('Pod', NS, 'web-2')!;
    expect(pod.metadata.labels).toMatchObject({ app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-2', 'controller-revision-hash': w.sts().status!.updateRevision });
    expect(pod.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'StatefulSet', name: 'web', uid: w.sts().metadata.uid, controller: true })]);
    expect(pod.spec).toMatchObject({ hostname: 'web-2', subdomain: 'web' });
    expect(w.sts().status).toMatchObject({ observedGeneration: 1, replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    expect(w.sts().status!.currentRevision).toBe(w.sts().status!.updateRevision);
  });

  it('Parallel creates every ordinal at once', async () => {
    const w = world();
    w.store.create('StatefulSet', statefulSet(4, 'Parallel'));
    await w.settle();
    expect(w.podNames()).toEqual(['web-0', 'web-1', 'web-2', 'web-3']);
  });

  it('scales down from the highest ordinal, one at a time, and stalls while a lower pod is unready', async () => {
    const w = world();
    w.store.create('StatefulSet', statefulSet(4));
    await readyAll(w);
    w.markReady('web-0', false);
    w.store.patch('StatefulSet', NS, 'web', 'merge', { spec: { replicas: 2 } });
    await w.settle();
    expect(w.deleted).toEqual([]);
    expect(w.sts().status).toMatchObject({ observedGeneration: 2, readyReplicas: 3 });
    w.markReady('web-0');
    await w.settle();
    expect(w.deleted).toEqual(['web-3']);
    w.finalizeTerminating();
    await w.settle();
    expect(w.deleted).toEqual(['web-3', 'web-2']);
    w.finalizeTerminating();
    await w.settle();
    expect(w.podNames()).toEqual(['web-0', 'web-1']);
    expect(w.sts().status).toMatchObject({ replicas: 2, readyReplicas: 2 });
  });

  it('re-creates a deleted pod with the same name and a new uid', async () => {
    const w = world();
    w.store.create('StatefulSet', statefulSet(2));
    await readyAll(w);
    const before = w.store.get('Pod', NS, 'web-1')!.metadata.uid;
    w.store.delete('Pod', NS, 'web-1');
    await w.settle();
    expect(w.podNames()).toEqual(['web-0', 'web-1']);
    w.finalizeTerminating();
    await w.settle();
    const after = w.store.get('Pod', NS, 'web-1');
    expect(after?.metadata.uid).toBeDefined();
    expect(after!.metadata.uid).not.toBe(before);
  });

  it('rolls a template change out from the highest ordinal down, stopping at the partition', async () => {
    const w = world();
    w.store.create('StatefulSet', statefulSet(3, 'OrderedReady', 1));
    await readyAll(w);
    const oldRevision = w.sts().status!.currentRevision;
    w.store.patch('StatefulSet', NS, 'web', 'merge', { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } } } } });
    await readyAll(w);
    const status = w.sts().status!;
    expect(status.updateRevision).not.toBe(oldRevision);
    expect(w.deleted).toEqual(['web-2', 'web-1']);
    expect(w.store.get('Pod', NS, 'web-0')!.metadata.labels!['controller-revision-hash']).toBe(oldRevision);
    expect(status).toMatchObject({ updatedReplicas: 2, currentReplicas: 1, currentRevision: oldRevision });

    w.store.patch('StatefulSet', NS, 'web', 'merge', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    await readyAll(w);
    expect(w.deleted).toEqual(['web-2', 'web-1', 'web-0']);
    expect(w.sts().status).toMatchObject({ updatedReplicas: 3, currentReplicas: 3, currentRevision: status.updateRevision, readyReplicas: 3 });
  });

  it('keeps Endpoints and EndpointSlices of a Service from the pods it selects', async () => {
    const w = world();
    w.store.create('Service', { metadata: { name: 'web', namespace: NS }, spec: { selector: { app: 'web' }, ports: [{ name: 'ws', port: 80, targetPort: 'ws' }] } });
    w.store.create('StatefulSet', statefulSet(2, 'Parallel'));
    await w.settle();
    w.markReady('web-0');
    w.markReady('web-1', false);
    await w.settle();
    const ep = w.store.get('Endpoints', NS, 'web')!;
    expect(ep.subsets).toEqual([
      expect.objectContaining({ addresses: [expect.objectContaining({ ip: '127.0.50.1', hostname: 'web-0' })], notReadyAddresses: [expect.objectContaining({ ip: '127.0.50.2' })], ports: [{ name: 'ws', port: 9088, protocol: 'TCP' }] }),
    ]);
    w.store.delete('Pod', NS, 'web-0');
    await w.settle();
    const [slice] = w.store.list('EndpointSlice', NS, { labelSelector: 'kubernetes.io/service-name=web' }).items;
    const conditions = Object.fromEntries((slice!.endpoints as { targetRef: { name: string }; conditions: unknown }[]).map((e) => [e.targetRef.name, e.conditions]));
    expect(conditions).toEqual({ 'web-0': { ready: false, serving: true, terminating: true }, 'web-1': { ready: false, serving: false, terminating: false } });
    expect((w.store.get('Endpoints', NS, 'web')!.subsets as { addresses?: unknown }[])[0]!.addresses).toBeUndefined();
  });

  it('keeps a ControllerRevision per template: numbered in order, renumbered when an old template returns, what `rollout undo` patches back', async () => {
    const w = world();
    w.store.create('StatefulSet', statefulSet(2, 'Parallel'));
    await readyAll(w);
    const revisions = () =>
      w.store
        .list('ControllerRevision', NS)
        .items.map((cr) => [cr.metadata.name, cr.revision])
        .sort((a, b) => Number(a[1]) - Number(b[1]));
    const first = w.sts().status!.updateRevision as string;
    expect(revisions()).toEqual([[first, 1]]);
    const cr = w.store.get('ControllerRevision', NS, first)!;
    expect(cr.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'StatefulSet', name: 'web', uid: w.sts().metadata.uid, controller: true })]);
    expect(cr.metadata.labels).toMatchObject({ app: 'web', 'controller.kubernetes.io/hash': first.slice('web-'.length) });
    const template = structuredClone(w.sts().spec!.template);
    expect(cr.data).toEqual({ spec: { template: { ...template, $patch: 'replace' } } });

    w.store.patch('StatefulSet', NS, 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'gateway', image: 'conduit/reference-gateway:0.1.1' }] } } } });
    await readyAll(w);
    const second = w.sts().status!.updateRevision as string;
    expect(second).not.toBe(first);
    expect(revisions()).toEqual([[first, 1], [second, 2]]);

    // kubectl rollout undo: the previous revision's data, as a strategic merge patch.
    w.store.patch('StatefulSet', NS, 'web', 'strategic', cr.data);
    await readyAll(w);
    expect(w.sts().spec!.template).toEqual(template);
    expect(w.sts().status).toMatchObject({ updateRevision: first, currentRevision: first, updatedReplicas: 2 });
    expect(revisions()).toEqual([[second, 2], [first, 3]]);
  });

  it('keeps at most revisionHistoryLimit revisions that no pod uses', async () => {
    const w = world();
    w.store.create('StatefulSet', { ...statefulSet(1), spec: { ...statefulSet(1).spec, revisionHistoryLimit: 1 } });
    await readyAll(w);
    for (const tag of ['0.1.1', '0.1.2', '0.1.3']) {
      w.store.patch('StatefulSet', NS, 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'gateway', image: `conduit/reference-gateway:${tag}` }] } } } });
      await readyAll(w);
    }
    expect(w.store.list('ControllerRevision', NS).items.map((cr) => cr.revision).sort()).toEqual([3, 4]);
  });
});
