// The Rollouts port: a StatefulSet's rollout state with its pods, and `kubectl rollout restart`'s
// one write — a strategic merge patch of the pod template's restartedAt annotation.
import type { AccessCheck, Rollouts, RolloutState } from '../ops/ports/index.js';
import { denied } from './access.js';
import type { KubeClient } from './client.js';
import { classifyFailure } from './errors.js';
import { podsOf, getStatefulSet } from './statefulsets.js';

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

export class KubeRollouts implements Rollouts {
  constructor(private readonly client: KubeClient) {}

  async readRollout(name: string, signal?: AbortSignal): Promise<RolloutState | undefined> {
    const sts = await getStatefulSet(this.client, name, signal);
    if (sts === undefined) return undefined;
    const pods = await podsOf(this.client, sts, signal);
    return {
      name,
      generation: sts.generation,
      observedGeneration: sts.observedGeneration,
      replicas: sts.replicas,
      readyReplicas: sts.readyReplicas,
      updatedReplicas: sts.updatedReplicas,
      ...(sts.currentRevision ? { currentRevision: sts.currentRevision } : {}),
      ...(sts.updateRevision ? { updateRevision: sts.updateRevision } : {}),
      pods: pods.map((pod) => ({
        name: pod.name,
        ...(pod.revision ? { revision: pod.revision } : {}),
        ready: pod.ready === true,
        terminating: pod.deletionTimestamp !== undefined,
      })),
    };
  }

  async restart(name: string, restartedAt: string, signal?: AbortSignal): Promise<{ generation: number }> {
    const op = this.client.op('patch', 'statefulsets', name);
    const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: restartedAt } } } } };
    const outcome = await this.client.attempt(
      op,
      (apis, options) =>
        apis.apps.patchNamespacedStatefulSet({ name, namespace: this.client.namespace, fieldManager: 'conduitctl', body }, options.strategicMergePatch),
      signal,
    );
    if (!outcome.ok) throw classifyFailure(outcome.failure, op);
    return { generation: outcome.value.metadata?.generation ?? 0 };
  }

  denied(checks: AccessCheck[], signal?: AbortSignal): Promise<AccessCheck[]> {
    return denied(this.client, checks, signal);
  }
}
