// The Deployment, ReplicaSet and garbage-collector controllers over a bare store, with the
// kubelet's part done by hand one step at a time so every intermediate state can be checked.
import { afterEach, describe, expect, it } from 'vitest';
import { POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION, rollingBounds, scaledValue, startDeploymentController } from '../../../src/sandbox/controllers/deployment.js';
import { FOREGROUND_FINALIZER, startGarbageCollector } from '../../../src/sandbox/controllers/garbage-collector.js';
import { startReplicaSetController } from '../../../src/sandbox/controllers/replicaset.js';
import type { ControllerHandle } from '../../../src/sandbox/controllers/statefulset.js';
import { seedNamespace } from '../../../src/sandbox/kube-sim/seed.js';
import { KubeStore, type KubeObject } from '../../../src/sandbox/kube-sim/store.js';

const NS = 'demo';

function deployment(replicas: number, strategy: object = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }, image = 'v1'): KubeObject {
  return {
    metadata: { name: 'web', namespace: NS },
    spec: {
      replicas,
      strategy,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
    },
  };
}

let handles: ControllerHandle[] = [];
afterEach(() => {
  for (const h of handles) h.stop();
  handles = [];
});

function world() {
  const store = new KubeStore();
  seedNamespace(store, NS);
  handles.push(startGarbageCollector(store), startDeploymentController(store), startReplicaSetController(store));
  const settle = async () => {
    for (let i = 0; i < 5; i += 1) {
      await Promise.all(handles.map((h) => h.idle()));
      await new Promise((r) => setImmediate(r));
    }
  };
  const live = () => store.list('Pod', NS).items.filter((p) => !p.metadata.deletionTimestamp);
  /** One kubelet step: pending pods start and turn Ready; terminating pods are removed. */
  const kubeletStep = () => {
    for (const pod of store.list('Pod', NS).items) {
      if (pod.metadata.deletionTimestamp) store.finalize('Pod', NS, pod.metadata.name!);
      else if (pod.status?.phase !== 'Running') {
        store.mutate('Pod', NS, pod.metadata.name!, (p) => {
          p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
        });
      }
    }
  };
  const replicaSets = () => store.list('ReplicaSet', NS).items;
  const events = (reason: string) => store.list('Event', NS).items.filter((e) => e.reason === reason).map((e) => e.message as string);
  return { store, settle, live, kubeletStep, replicaSets, events };
}

/** Runs kubelet steps until nothing changes, checking `invariant` after every controller settle. */
async function rollOut(w: ReturnType<typeof world>, invariant: () => void = () => {}) {
  for (let guard = 0; guard < 40; guard += 1) {
    await w.settle();
    invariant();
    const before = w.store.resourceVersion;
    w.kubeletStep();
    await w.settle();
    if (w.store.resourceVersion === before) return;
  }
  throw new Error('the rollout did not settle');
}

describe('max surge and max unavailable', () => {
  it('resolves percentages as the API does: surge rounds up, unavailable down; both zero becomes one unavailable', () => {
    expect(scaledValue('25%', 3, true)).toBe(1);
    expect(scaledValue('25%', 3, false)).toBe(0);
    expect(scaledValue(2, 3, false)).toBe(2);
    expect(rollingBounds(deployment(3, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }))).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(rollingBounds(deployment(10, { type: 'RollingUpdate' }))).toEqual({ maxSurge: 3, maxUnavailable: 2 });
  });
});

describe('Deployment and ReplicaSet controllers', () => {
  it('create a ReplicaSet named by the pod-template-hash, whose pods get random suffixes and the hash label', async () => {
    const w = world();
    w.store.create('Deployment', deployment(3));
    await rollOut(w);
    const [rs] = w.replicaSets();
    const hash = rs!.metadata.labels![POD_TEMPLATE_HASH_LABEL]!;
    expect(rs!.metadata.name).toBe(`web-${hash}`);
    expect(rs!.metadata.annotations![REVISION_ANNOTATION]).toBe('1');
    expect(rs!.spec!.selector.matchLabels).toEqual({ app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash });
    const pods = w.live();
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(pod.metadata.labels).toEqual({ app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash });
      expect(pod.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: rs!.metadata.name, controller: true });
    }
    const d = w.store.get('Deployment', NS, 'web')!;
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    expect(d.status!.conditions.find((c: { type: string }) => c.type === 'Progressing')).toMatchObject({ reason: 'NewReplicaSetAvailable' });
    expect(w.events('ScalingReplicaSet')).toEqual([`Scaled up replica set ${rs!.metadata.name} from 0 to 3`]);
    expect(w.events('SuccessfulCreate')).toHaveLength(3);
  });

  it('rolls a new template out without ever exceeding replicas+maxSurge pods or dropping below replicas-maxUnavailable ready', async () => {
    const w = world();
    w.store.create('Deployment', deployment(4));
    await rollOut(w);
    const oldRS = w.replicaSets()[0]!.metadata.name!;
    w.store.mutate('Deployment', NS, 'web', (d) => {
      d.spec!.template.spec.containers[0].image = 'v2';
    });
    const seen = { maxLive: 0, minReady: Infinity };
    await rollOut(w, () => {
      const live = w.live();
      seen.maxLive = Math.max(seen.maxLive, live.length);
      seen.minReady = Math.min(seen.minReady, live.filter((p) => p.status?.phase === 'Running').length);
    });
    expect(seen.maxLive).toBe(5);
    expect(seen.minReady).toBe(3);
    const rss = w.replicaSets();
    const newRS = rss.find((rs) => rs.metadata.name !== oldRS)!;
    expect(newRS.metadata.annotations![REVISION_ANNOTATION]).toBe('2');
    expect(rss.find((rs) => rs.metadata.name === oldRS)!.spec!.replicas).toBe(0);
    expect(w.live().every((p) => p.spec!.containers[0].image === 'v2')).toBe(true);
    expect(w.events('ScalingReplicaSet')).toContain(`Scaled down replica set ${oldRS} from 4 to 3`);
  });

  it('Recreate scales the old ReplicaSet to zero and starts new pods only when the old ones are gone', async () => {
    const w = world();
    w.store.create('Deployment', deployment(2, { type: 'Recreate' }));
    await rollOut(w);
    w.store.mutate('Deployment', NS, 'web', (d) => {
      d.spec!.template.spec.containers[0].image = 'v2';
    });
    let mixed = false;
    await rollOut(w, () => {
      const images = new Set(w.live().map((p) => p.spec!.containers[0].image));
      if (images.size > 1) mixed = true;
    });
    expect(mixed).toBe(false);
    expect(w.live().map((p) => p.spec!.containers[0].image)).toEqual(['v2', 'v2']);
  });

  it('scaling the Deployment scales its ReplicaSet; the ReplicaSet removes not-ready pods first', async () => {
    const w = world();
    w.store.create('Deployment', deployment(3));
    await rollOut(w);
    const [keep1, keep2, notReady] = w.live().map((p) => p.metadata.name!);
    w.store.mutate('Pod', NS, notReady!, (p) => {
      p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] };
    });
    w.store.mutate('Deployment', NS, 'web', (d) => {
      d.spec!.replicas = 2;
    });
    await w.settle();
    expect(w.live().map((p) => p.metadata.name).sort()).toEqual([keep1, keep2].sort());
    expect(w.events('SuccessfulDelete')).toEqual([`Deleted pod: ${notReady}`]);
  });
});

describe('garbage collector', () => {
  it('background: deleting a Deployment removes its ReplicaSets and their pods', async () => {
    const w = world();
    w.store.create('Deployment', deployment(2));
    await rollOut(w);
    w.store.delete('Deployment', NS, 'web');
    await rollOut(w);
    expect(w.replicaSets()).toEqual([]);
    expect(w.store.list('Pod', NS).items).toEqual([]);
  });

  it('orphan: the ReplicaSet and pods stay, without the owner reference', async () => {
    const w = world();
    w.store.create('Deployment', deployment(1));
    await rollOut(w);
    w.store.mutate('Deployment', NS, 'web', (d) => {
      d.metadata.finalizers = ['orphan'];
    });
    w.store.delete('Deployment', NS, 'web');
    await rollOut(w);
    expect(w.store.get('Deployment', NS, 'web')).toBeUndefined();
    const [rs] = w.replicaSets();
    expect(rs!.metadata.ownerReferences).toBeUndefined();
    expect(w.live()).toHaveLength(1);
  });

  it('foreground: the Deployment stays, terminating, until its ReplicaSet and pods are gone', async () => {
    const w = world();
    w.store.create('Deployment', deployment(2));
    await rollOut(w);
    w.store.mutate('Deployment', NS, 'web', (d) => {
      d.metadata.finalizers = [FOREGROUND_FINALIZER];
    });
    w.store.delete('Deployment', NS, 'web');
    await w.settle();
    const terminating = w.store.get('Deployment', NS, 'web');
    expect(terminating?.metadata.deletionTimestamp).toBeDefined();
    expect(w.store.list('Pod', NS).items.every((p) => p.metadata.deletionTimestamp)).toBe(true);
    await rollOut(w);
    expect(w.store.get('Deployment', NS, 'web')).toBeUndefined();
    expect(w.replicaSets()).toEqual([]);
    expect(w.store.list('Pod', NS).items).toEqual([]);
  });
});
