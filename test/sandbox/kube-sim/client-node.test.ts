// The same calls through @kubernetes/client-node 1.4 (allowed in tests), over TLS with kube-sim's CA.
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../../../src/sandbox/kube-sim/index.js';
import { echoServer, pdbManifest, podManifest, portOf, startSimWithNamespace, statefulSetManifest, type Upstream } from './helpers.js';
import { eventually } from './watch-client.js';

let sim: KubeSim;
let upstream: Upstream;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
let kc: k8s.KubeConfig;

beforeAll(async () => {
  sim = await startSimWithNamespace();
  upstream = await echoServer('127.0.3.31');
  kc = new k8s.KubeConfig();
  kc.loadFromString(sim.kubeconfig({ namespace: 'ns' }));
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  sim.store.create('StatefulSet', statefulSetManifest('gw', 3));
  for (const i of [0, 1]) sim.store.create('Pod', podManifest(`gw-${i}`, { ip: '127.0.3.31', port: portOf(upstream) }));
  sim.store.create('PodDisruptionBudget', pdbManifest('gw-pdb', { minAvailable: 1 }));
});
afterAll(async () => {
  await upstream?.close();
  await sim?.close();
});

function apiException(error: unknown): { code: number; body: { reason: string; details?: { causes?: { reason: string; message: string }[] } } } {
  if (!(error instanceof k8s.ApiException)) throw error;
  return { code: error.code, body: JSON.parse(error.body as string) };
}

describe('@kubernetes/client-node against kube-sim', () => {
  it('listNamespacedPod with a label selector', async () => {
    const list = await core.listNamespacedPod({ namespace: 'ns', labelSelector: 'app=gw' });
    expect(list.items.map((p) => p.metadata?.name)).toEqual(['gw-0', 'gw-1']);
    expect(list.items[0]?.status?.podIP).toBe('127.0.3.31');
  });

  it('readNamespacedStatefulSetScale and patchNamespacedStatefulSetScale with a MergePatch precondition', async () => {
    const scale = await apps.readNamespacedStatefulSetScale({ name: 'gw', namespace: 'ns' });
    expect(scale.spec?.replicas).toBe(3);
    expect(scale.status?.selector).toBe('app=gw');
    const patched = await apps.patchNamespacedStatefulSetScale(
      { name: 'gw', namespace: 'ns', body: { metadata: { resourceVersion: scale.metadata?.resourceVersion }, spec: { replicas: 2 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(patched.spec?.replicas).toBe(2);
    const stale = await apps
      .patchNamespacedStatefulSetScale(
        { name: 'gw', namespace: 'ns', body: { metadata: { resourceVersion: scale.metadata?.resourceVersion }, spec: { replicas: 1 } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      )
      .catch(apiException);
    expect(stale).toMatchObject({ code: 409, body: { reason: 'Conflict' } });
    expect(sim.store.get('StatefulSet', 'ns', 'gw')?.spec?.replicas).toBe(2);
  });

  it('createNamespacedPodEviction: 201, then 429 with the DisruptionBudget cause', async () => {
    const eviction = (name: string) => ({ name, namespace: 'ns', body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'ns' } } });
    await core.createNamespacedPodEviction(eviction('gw-0'));
    expect(sim.store.get('Pod', 'ns', 'gw-0')?.metadata.deletionTimestamp).toBeDefined();
    const blocked = await core.createNamespacedPodEviction(eviction('gw-1')).catch(apiException);
    expect(blocked).toMatchObject({ code: 429, body: { reason: 'TooManyRequests' } });
    expect(blocked && 'body' in blocked ? blocked.body.details?.causes?.[0]?.reason : undefined).toBe('DisruptionBudget');
  });

  it('connectGetNamespacedPodProxyWithPath decodes the encoded path', async () => {
    const answer = await core.connectGetNamespacedPodProxyWithPath({ name: `gw-1:${portOf(upstream)}`, namespace: 'ns', path: 'v1/metrics' });
    expect(answer).toMatchObject({ method: 'GET', url: '/v1/metrics' });
  });

  it('Watch receives events for pods', async () => {
    const seen: string[] = [];
    const watch = new k8s.Watch(kc);
    const controller = await watch.watch(
      '/api/v1/namespaces/ns/pods',
      { labelSelector: 'app=gw', timeoutSeconds: 10 },
      (type: string, pod: k8s.V1Pod) => seen.push(`${type} ${pod.metadata?.name}`),
      () => {},
    );
    try {
      await eventually(() => seen.length >= 2);
      sim.store.create('Pod', podManifest('gw-2'));
      await eventually(() => seen.includes('ADDED gw-2'));
    } finally {
      controller.abort();
    }
    expect(seen.slice(0, 2).sort()).toEqual(['ADDED gw-0', 'ADDED gw-1']);
  });
});
