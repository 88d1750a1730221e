// The Fleet port on Kubernetes: a target the operator named → the pods it means, checked to exist
// and (for a workload) to be owned by it.

import type { V1Pod } from '@kubernetes/client-node';
import { UsageError } from '../ops/errors.js';
import type { Fleet, FleetDescription, Instance, Target } from '../ops/ports/index.js';
import { dns1123SubdomainProblem } from '../util/names.js';
import type { KubeClient } from './client.js';
import { classifyFailure } from './errors.js';
import { compareInstances, controllerOf, podToInstance } from './pods.js';
import { selectorToString } from './selector.js';
import { getStatefulSet, podsOf } from './statefulsets.js';

function checkName(kind: string, name: string): void {
  const problem = dns1123SubdomainProblem(name);
  if (problem) throw new UsageError(`invalid ${kind} name ${JSON.stringify(name)}: ${problem}`);
}

export class KubeFleet implements Fleet {
  constructor(
    private readonly client: KubeClient,
    private readonly description: FleetDescription,
  ) {}

  describe(): FleetDescription {
    return { ...this.description };
  }

  async resolve(target: Target, signal?: AbortSignal): Promise<Instance[]> {
    switch (target.kind) {
      case 'all':
        throw new UsageError('name a workload (sts/NAME), pods, or a selector (-l KEY=VALUE)', 'on Kubernetes there is no implicit whole fleet');
      case 'names':
        return this.byNames(target.names, signal);
      case 'selector':
        return (await this.listPods(target.selector, signal)).map(podToInstance).sort(compareInstances);
      case 'workload':
        checkName(target.workloadKind, target.name);
        return target.workloadKind === 'statefulset' ? this.statefulSetPods(target.name, signal) : this.deploymentPods(target.name, signal);
    }
  }

  async get(name: string, signal?: AbortSignal): Promise<Instance | undefined> {
    checkName('pod', name);
    const pod = await this.readPod(name, signal);
    return pod ? podToInstance(pod) : undefined;
  }

  private async byNames(names: string[], signal?: AbortSignal): Promise<Instance[]> {
    if (names.length === 0) throw new UsageError('no pod names given');
    for (const name of names) checkName('pod', name);
    const unique = [...new Set(names)];
    const pods = await Promise.all(unique.map((name) => this.readPod(name, signal)));
    const missing = unique.filter((_, i) => pods[i] === undefined);
    if (missing.length > 0) {
      const list = missing.map((n) => `"${n}"`).join(', ');
      throw new UsageError(`pod${missing.length > 1 ? 's' : ''} ${list} not found in namespace "${this.client.namespace}"`, 'check the names with `kubectl get pods` and -n');
    }
    return pods.map((pod) => podToInstance(pod!)).sort(compareInstances);
  }

  private async statefulSetPods(name: string, signal?: AbortSignal): Promise<Instance[]> {
    const sts = await getStatefulSet(this.client, name, signal);
    if (!sts) throw new UsageError(`statefulset "${name}" not found in namespace "${this.client.namespace}"`);
    return podsOf(this.client, sts, signal);
  }

  /** Pods whose controlling ReplicaSet is controlled by the Deployment. */
  private async deploymentPods(name: string, signal?: AbortSignal): Promise<Instance[]> {
    const op = this.client.op('get', 'deployments', name);
    const outcome = await this.client.attempt(
      op,
      (apis, options) => apis.apps.readNamespacedDeployment({ name, namespace: this.client.namespace }, options.plain),
      signal,
    );
    if (!outcome.ok) {
      if (outcome.failure.status === 404) throw new UsageError(`deployment "${name}" not found in namespace "${this.client.namespace}"`);
      throw classifyFailure(outcome.failure, op);
    }
    const deployment = outcome.value;
    const selector = selectorToString(deployment.spec?.selector);
    if (!selector) throw new UsageError(`deployment "${name}" has an empty selector; refusing to list every pod`);
    const replicaSets = await this.client.call(
      this.client.op('list', 'replicasets'),
      (apis, options) => apis.apps.listNamespacedReplicaSet({ namespace: this.client.namespace, labelSelector: selector }, options.plain),
      signal,
    );
    const owned = new Set(
      replicaSets.items
        .filter((rs) => rs.metadata?.ownerReferences?.some((ref) => ref.controller === true && ref.kind === 'Deployment' && ref.uid === deployment.metadata?.uid))
        .map((rs) => rs.metadata?.uid),
    );
    const pods = await this.listPods(selector, signal);
    return pods
      .filter((pod) => {
        const owner = controllerOf(pod);
        return owner?.kind === 'ReplicaSet' && owned.has(owner.uid);
      })
      .map(podToInstance)
      .sort(compareInstances);
  }

  private async listPods(selector: string, signal?: AbortSignal): Promise<V1Pod[]> {
    if (!selector.trim()) throw new UsageError('an empty selector would select every pod; give KEY=VALUE');
    const list = await this.client.call(
      this.client.op('list', 'pods'),
      (apis, options) => apis.core.listNamespacedPod({ namespace: this.client.namespace, labelSelector: selector }, options.plain),
      signal,
    );
    return list.items;
  }

  private async readPod(name: string, signal?: AbortSignal): Promise<V1Pod | undefined> {
    const op = this.client.op('get', 'pods', name);
    const outcome = await this.client.attempt(
      op,
      (apis, options) => apis.core.readNamespacedPod({ name, namespace: this.client.namespace }, options.plain),
      signal,
    );
    if (outcome.ok) return outcome.value;
    if (outcome.failure.status === 404) return undefined;
    throw classifyFailure(outcome.failure, op);
  }
}
