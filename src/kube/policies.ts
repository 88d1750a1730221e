// What else governs a workload: the PodDisruptionBudgets covering a pod, and the HPAs that own
// a workload's replica count.

import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { HpaInfo, Instance, PdbInfo } from '../ops/ports/index.js';
import type { KubeClient } from './client.js';
import { classifyFailure } from './errors.js';
import { selectorMatches, selectorToString } from './selector.js';

function pdbInfo(pdb: V1PodDisruptionBudget): PdbInfo {
  const info: PdbInfo = {
    name: pdb.metadata?.name ?? '',
    selector: selectorToString(pdb.spec?.selector),
    currentHealthy: pdb.status?.currentHealthy ?? 0,
    desiredHealthy: pdb.status?.desiredHealthy ?? 0,
    disruptionsAllowed: pdb.status?.disruptionsAllowed ?? 0,
    expectedPods: pdb.status?.expectedPods ?? 0,
  };
  if (pdb.spec?.minAvailable !== undefined) info.minAvailable = pdb.spec.minAvailable;
  if (pdb.spec?.maxUnavailable !== undefined) info.maxUnavailable = pdb.spec.maxUnavailable;
  return info;
}

/** PDBs whose selector matches the pod's current labels; none when the pod is gone. */
export async function pdbsFor(client: KubeClient, instance: Instance, signal?: AbortSignal): Promise<PdbInfo[]> {
  const readPod = client.op('get', 'pods', instance.name);
  const pod = await client.attempt(readPod, (apis, options) => apis.core.readNamespacedPod({ name: instance.name, namespace: client.namespace }, options.plain), signal);
  if (!pod.ok) {
    if (pod.failure.status === 404) return [];
    throw classifyFailure(pod.failure, readPod);
  }
  const labels = pod.value.metadata?.labels ?? {};
  const list = await client.call(
    client.op('list', 'poddisruptionbudgets.policy'),
    (apis, options) => apis.policy.listNamespacedPodDisruptionBudget({ namespace: client.namespace }, options.plain),
    signal,
  );
  return list.items.filter((pdb) => selectorMatches(pdb.spec?.selector, labels)).map(pdbInfo);
}

export async function hpasTargeting(
  client: KubeClient,
  kind: 'StatefulSet' | 'Deployment',
  name: string,
  signal?: AbortSignal,
): Promise<HpaInfo[]> {
  const list = await client.call(
    client.op('list', 'horizontalpodautoscalers.autoscaling'),
    (apis, options) => apis.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace: client.namespace }, options.plain),
    signal,
  );
  return list.items
    .filter((hpa) => {
      const ref = hpa.spec?.scaleTargetRef;
      return ref?.kind === kind && ref.name === name && (ref.apiVersion === undefined || ref.apiVersion.startsWith('apps/'));
    })
    .map((hpa) => ({ name: hpa.metadata?.name ?? '', minReplicas: hpa.spec?.minReplicas ?? 1, maxReplicas: hpa.spec?.maxReplicas ?? 0 }));
}
