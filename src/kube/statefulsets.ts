// StatefulSets and their scale subresource: reads, and the one conditional write of spec.replicas.

import type { V1StatefulSet } from '@kubernetes/client-node';
import { UsageError } from '../ops/errors.js';
import type { Instance, ScaleInfo, ScaleWriteResult, StatefulSetInfo } from '../ops/ports/index.js';
import type { KubeClient } from './client.js';
import { classifyFailure } from './errors.js';
import { compareInstances, ownedByStatefulSet, podToInstance } from './pods.js';
import { selectorToString } from './selector.js';

const DEFAULT_GRACE_SECONDS = 30;

export function statefulSetInfo(sts: V1StatefulSet): StatefulSetInfo {
  const { metadata = {}, spec, status } = sts;
  const info: StatefulSetInfo = {
    name: metadata.name ?? '',
    namespace: metadata.namespace ?? '',
    uid: metadata.uid ?? '',
    resourceVersion: metadata.resourceVersion ?? '',
    generation: metadata.generation ?? 0,
    observedGeneration: status?.observedGeneration ?? 0,
    replicas: spec?.replicas ?? 1,
    readyReplicas: status?.readyReplicas ?? 0,
    currentReplicas: status?.currentReplicas ?? 0,
    updatedReplicas: status?.updatedReplicas ?? 0,
    podManagementPolicy: spec?.podManagementPolicy === 'Parallel' ? 'Parallel' : 'OrderedReady',
    terminationGracePeriodSeconds: spec?.template?.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS,
    selector: selectorToString(spec?.selector),
    annotations: { ...(metadata.annotations ?? {}) },
  };
  if (status?.currentRevision) info.currentRevision = status.currentRevision;
  if (status?.updateRevision) info.updateRevision = status.updateRevision;
  if (spec?.serviceName) info.serviceName = spec.serviceName;
  return info;
}

export async function getStatefulSet(client: KubeClient, name: string, signal?: AbortSignal): Promise<StatefulSetInfo | undefined> {
  const op = client.op('get', 'statefulsets', name);
  const outcome = await client.attempt(
    op,
    (apis, options) => apis.apps.readNamespacedStatefulSet({ name, namespace: client.namespace }, options.plain),
    signal,
  );
  if (outcome.ok) return statefulSetInfo(outcome.value);
  if (outcome.failure.status === 404) return undefined;
  throw classifyFailure(outcome.failure, op);
}

export async function getScale(client: KubeClient, name: string, signal?: AbortSignal): Promise<ScaleInfo> {
  const scale = await client.call(
    client.op('get', 'statefulsets/scale', name),
    (apis, options) => apis.apps.readNamespacedStatefulSetScale({ name, namespace: client.namespace }, options.plain),
    signal,
  );
  return {
    replicas: scale.spec?.replicas ?? 0,
    statusReplicas: scale.status?.replicas ?? 0,
    resourceVersion: scale.metadata?.resourceVersion ?? '',
  };
}

/**
 * Writes spec.replicas only if the scale still has `resourceVersion` (RELIABILITY rule 5): the
 * precondition travels in the merge-patch body, so a concurrent change answers 409 → conflict.
 */
export async function setReplicas(
  client: KubeClient,
  name: string,
  replicas: number,
  resourceVersion: string,
  signal?: AbortSignal,
): Promise<ScaleWriteResult> {
  if (!Number.isInteger(replicas) || replicas < 0) throw new UsageError(`invalid replica count ${replicas}: must be a whole number ≥ 0`);
  if (!resourceVersion) throw new UsageError('a scale write needs the resourceVersion read when the plan was made');
  const op = client.op('patch', 'statefulsets/scale', name);
  const outcome = await client.attempt(
    op,
    (apis, options) =>
      apis.apps.patchNamespacedStatefulSetScale(
        { name, namespace: client.namespace, fieldManager: 'conduitctl', body: { metadata: { resourceVersion }, spec: { replicas } } },
        options.mergePatch,
      ),
    signal,
  );
  if (outcome.ok) return { kind: 'written', resourceVersion: outcome.value.metadata?.resourceVersion ?? '' };
  if (outcome.failure.status === 409) return { kind: 'conflict', message: outcome.failure.message };
  throw classifyFailure(outcome.failure, op);
}

/** Pods selected by the StatefulSet's selector and controlled by it (not a look-alike), by ordinal. */
export async function podsOf(client: KubeClient, sts: StatefulSetInfo, signal?: AbortSignal): Promise<Instance[]> {
  if (!sts.selector) throw new UsageError(`statefulset "${sts.name}" has an empty selector; refusing to list every pod`);
  const list = await client.call(
    client.op('list', 'pods'),
    (apis, options) => apis.core.listNamespacedPod({ namespace: client.namespace, labelSelector: sts.selector }, options.plain),
    signal,
  );
  return list.items
    .filter((pod) => ownedByStatefulSet(pod, sts.name, sts.uid || undefined))
    .map(podToInstance)
    .sort(compareInstances);
}
