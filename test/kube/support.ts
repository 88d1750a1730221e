// A kube-sim per test file, a kubeconfig for it, and seeding helpers for StatefulSets and pods.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedNamespace, startKubeSim, type KubeObject, type KubeSim } from '../../src/sandbox/kube-sim/index.js';
import { connectKube, type KubeConnection } from '../../src/kube/index.js';

export interface SimWorld {
  sim: KubeSim;
  dir: string;
  kubeconfig: string;
  /** A fresh namespace (seeded) and a connection to it. */
  connect(namespace: string, extra?: { requestTimeoutMs?: number }): Promise<KubeConnection>;
  close(): Promise<void>;
}

export async function startSimWorld(): Promise<SimWorld> {
  const sim = await startKubeSim();
  const dir = await mkdtemp(join(tmpdir(), 'kube-test-'));
  const kubeconfig = join(dir, 'config');
  await sim.writeKubeconfig(kubeconfig, { context: 'sim' });
  return {
    sim,
    dir,
    kubeconfig,
    connect: async (namespace, extra = {}) => {
      seedNamespace(sim.store, namespace);
      return connectKube({ kubeconfig, namespace, env: {}, requestTimeoutMs: extra.requestTimeoutMs ?? 5_000 });
    },
    close: async () => {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function createStatefulSet(sim: KubeSim, namespace: string, name: string, replicas: number, extra: { annotations?: Record<string, string>; serviceName?: string } = {}): KubeObject {
  return sim.store.create('StatefulSet', {
    metadata: { name, namespace, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      replicas,
      serviceName: extra.serviceName ?? name,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 45, containers: [{ name: 'gw', image: 'conduit/reference-gateway' }] } },
    },
  });
}

export interface PodSeed {
  name: string;
  labels?: Record<string, string>;
  owner?: KubeObject;
  ready?: boolean;
  ip?: string;
  restarts?: number[];
}

export function createPod(sim: KubeSim, namespace: string, seed: PodSeed): KubeObject {
  const owner = seed.owner;
  const pod = sim.store.create('Pod', {
    metadata: {
      name: seed.name,
      namespace,
      labels: seed.labels ?? {},
      ...(owner
        ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true }] }
        : {}),
    },
    spec: { containers: [{ name: 'gw', image: 'conduit/reference-gateway' }] },
  });
  return sim.store.update(
    'Pod',
    {
      ...pod,
      status: {
        phase: 'Running',
        ...(seed.ip ? { podIP: seed.ip } : {}),
        conditions: [{ type: 'Ready', status: seed.ready === false ? 'False' : 'True' }],
        containerStatuses: (seed.restarts ?? [0]).map((restartCount, i) => ({ name: `c${i}`, ready: true, restartCount, image: 'x', imageID: '', started: true })),
      },
    },
    { scope: 'status' },
  );
}

/** A StatefulSet and its pods name-0 … name-(n-1), labelled as the StatefulSet controller does. */
export function createStatefulSetWithPods(sim: KubeSim, namespace: string, name: string, replicas: number): { sts: KubeObject; pods: KubeObject[] } {
  const sts = createStatefulSet(sim, namespace, name, replicas);
  const pods = Array.from({ length: replicas }, (_, i) =>
    createPod(sim, namespace, {
      name: `${name}-${i}`,
      labels: { app: name, 'controller-revision-hash': `${name}-abc123`, 'apps.kubernetes.io/pod-index': String(i) },
      owner: sts,
      ip: `127.0.${20 + i}.1`,
    }),
  );
  return { sts, pods };
}
