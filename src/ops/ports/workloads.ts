// The Workloads port: Kubernetes workload operations (implemented by src/kube/; scale, drain --then and
// their preflights use it).

import type { Instance } from './fleet.js';

export interface StatefulSetInfo {
  name: string;
  namespace: string;
  uid: string;
  resourceVersion: string;
  generation: number;
  observedGeneration: number;
  /** spec.replicas */
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  currentRevision?: string;
  updateRevision?: string;
  podManagementPolicy: 'OrderedReady' | 'Parallel';
  /** spec.template.spec.terminationGracePeriodSeconds (Kubernetes default 30 when unset). */
  terminationGracePeriodSeconds: number;
  /** spec.selector as a label-selector string, e.g. `app=conduit`. */
  selector: string;
  /** The Service named in spec.serviceName (its EndpointSlices show pod readiness to clients). */
  serviceName?: string;
  annotations: Record<string, string>;
}

/** The scale subresource as read: the resourceVersion is what the conditional write carries. */
export interface ScaleInfo {
  replicas: number;
  statusReplicas: number;
  resourceVersion: string;
}

export type ScaleWriteResult = { kind: 'written'; resourceVersion: string } | { kind: 'conflict'; message: string };

export interface PdbInfo {
  name: string;
  /** Label selector string of the PDB. */
  selector: string;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  currentHealthy: number;
  desiredHealthy: number;
  disruptionsAllowed: number;
  expectedPods: number;
}

export interface HpaInfo {
  name: string;
  minReplicas: number;
  maxReplicas: number;
}

export interface AccessCheck {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  name?: string;
}

export type EvictionResult =
  | { kind: 'evicted' }
  /** The pod was already gone (404): success for that pod. */
  | { kind: 'gone' }
  /** 429 with a DisruptionBudget cause: retry every ≥ 5 s until the deadline. */
  | { kind: 'blocked-by-pdb'; message: string; pdb?: string; retryAfterMs?: number }
  /** 429 without a PDB cause (API throttling): honour Retry-After. */
  | { kind: 'throttled'; retryAfterMs: number; message: string };

export interface LeaseHolder {
  holder: string;
  /** Wall-clock ms (display). */
  acquiredAtMs?: number;
  renewedAtMs?: number;
  durationSeconds: number;
}

export type LeaseAttempt =
  | { acquired: true; lease: HeldLease }
  | { acquired: false; holder: LeaseHolder };

export interface HeldLease {
  name: string;
  renew(signal?: AbortSignal): Promise<void>;
  release(): Promise<void>;
}

export type EndpointReadiness = 'ready' | 'not-ready' | 'absent' | 'unknown';

/**
 * The Kubernetes workload port. Errors: a missing object → UsageError naming it; RBAC 403 →
 * RefusedError; 5xx/unreachable on reads → retried by the caller (thrown as TimeoutError-kind
 * ConduitError with a clear message); a 500 on eviction → RefusedError (fail fast).
 */
export interface Workloads {
  getStatefulSet(name: string, signal?: AbortSignal): Promise<StatefulSetInfo | undefined>;
  getScale(name: string, signal?: AbortSignal): Promise<ScaleInfo>;
  /** Conditional write of spec.replicas: carries `resourceVersion`; a 409 is returned, never retried blindly. */
  setReplicas(name: string, replicas: number, resourceVersion: string, signal?: AbortSignal): Promise<ScaleWriteResult>;
  /** Pods of a StatefulSet (by its selector), sorted by ordinal. */
  podsOf(statefulSet: StatefulSetInfo, signal?: AbortSignal): Promise<Instance[]>;
  pdbsFor(instance: Instance, signal?: AbortSignal): Promise<PdbInfo[]>;
  hpasTargeting(kind: 'StatefulSet' | 'Deployment', name: string, signal?: AbortSignal): Promise<HpaInfo[]>;
  /** SelfSubjectAccessReview per check; returns the checks that are NOT allowed. */
  denied(checks: AccessCheck[], signal?: AbortSignal): Promise<AccessCheck[]>;
  evict(instance: Instance, signal?: AbortSignal): Promise<EvictionResult>;
  /** DELETE with a uid precondition, so a re-created pod of the same name is never deleted. */
  deletePod(instance: Instance, signal?: AbortSignal): Promise<'deleted' | 'gone'>;
  /** Whether the EndpointSlices of `serviceName` show the pod as ready. */
  endpointReadiness(serviceName: string, instance: Instance, signal?: AbortSignal): Promise<EndpointReadiness>;
  /** Take the per-workload lock (RELIABILITY rule 7); a stale lease is taken over only after it expired. */
  acquireLease(name: string, holder: string, durationSeconds: number, signal?: AbortSignal): Promise<LeaseAttempt>;
}
