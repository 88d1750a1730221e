// The Workloads port on Kubernetes: each method is one small module's job.

import type {
  AccessCheck,
  EndpointReadiness,
  EvictionResult,
  HpaInfo,
  Instance,
  LeaseAttempt,
  PdbInfo,
  ScaleInfo,
  ScaleWriteResult,
  StatefulSetInfo,
  Workloads,
} from '../ops/ports/index.js';
import { denied } from './access.js';
import type { KubeClient } from './client.js';
import { endpointReadiness } from './endpoints.js';
import { deletePod, evict } from './eviction.js';
import { LeaseLock, type LeaseOptions } from './lease.js';
import { hpasTargeting, pdbsFor } from './policies.js';
import { getScale, getStatefulSet, podsOf, setReplicas } from './statefulsets.js';

export class KubeWorkloads implements Workloads {
  private readonly lock: LeaseLock;

  constructor(
    private readonly client: KubeClient,
    leaseOptions: LeaseOptions = {},
  ) {
    this.lock = new LeaseLock(client, leaseOptions);
  }

  getStatefulSet(name: string, signal?: AbortSignal): Promise<StatefulSetInfo | undefined> {
    return getStatefulSet(this.client, name, signal);
  }

  getScale(name: string, signal?: AbortSignal): Promise<ScaleInfo> {
    return getScale(this.client, name, signal);
  }

  setReplicas(name: string, replicas: number, resourceVersion: string, signal?: AbortSignal): Promise<ScaleWriteResult> {
    return setReplicas(this.client, name, replicas, resourceVersion, signal);
  }

  podsOf(statefulSet: StatefulSetInfo, signal?: AbortSignal): Promise<Instance[]> {
    return podsOf(this.client, statefulSet, signal);
  }

  pdbsFor(instance: Instance, signal?: AbortSignal): Promise<PdbInfo[]> {
    return pdbsFor(this.client, instance, signal);
  }

  hpasTargeting(kind: 'StatefulSet' | 'Deployment', name: string, signal?: AbortSignal): Promise<HpaInfo[]> {
    return hpasTargeting(this.client, kind, name, signal);
  }

  denied(checks: AccessCheck[], signal?: AbortSignal): Promise<AccessCheck[]> {
    return denied(this.client, checks, signal);
  }

  evict(instance: Instance, signal?: AbortSignal): Promise<EvictionResult> {
    return evict(this.client, instance, signal);
  }

  deletePod(instance: Instance, signal?: AbortSignal): Promise<'deleted' | 'gone'> {
    return deletePod(this.client, instance, signal);
  }

  endpointReadiness(serviceName: string, instance: Instance, signal?: AbortSignal): Promise<EndpointReadiness> {
    return endpointReadiness(this.client, serviceName, instance, signal);
  }

  acquireLease(name: string, holder: string, durationSeconds: number, signal?: AbortSignal): Promise<LeaseAttempt> {
    return this.lock.acquire(name, holder, durationSeconds, signal);
  }
}
