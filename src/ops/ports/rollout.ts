// A StatefulSet's rolling update as the probe watches it, and the one write it may make: the
// restart annotation `kubectl rollout restart` sets. The adapter is src/kube/rollout.ts.
import type { AccessCheck } from './workloads.js';

export interface RolloutPod {
  name: string;
  /** controller-revision-hash */
  revision?: string;
  ready: boolean;
  terminating: boolean;
}

export interface RolloutState {
  name: string;
  generation: number;
  observedGeneration: number;
  /** spec.replicas */
  replicas: number;
  readyReplicas: number;
  updatedReplicas: number;
  currentRevision?: string;
  updateRevision?: string;
  /** Pods controlled by the StatefulSet. */
  pods: RolloutPod[];
}

export interface Rollouts {
  /** The StatefulSet and its pods, or undefined when it does not exist. */
  readRollout(name: string, signal?: AbortSignal): Promise<RolloutState | undefined>;
  /**
   * Patch spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"] = restartedAt
   * (a strategic merge patch, as kubectl does); returns the StatefulSet's new generation.
   */
  restart(name: string, restartedAt: string, signal?: AbortSignal): Promise<{ generation: number }>;
  /** The checks the API server does not allow (SelfSubjectAccessReview). */
  denied(checks: AccessCheck[], signal?: AbortSignal): Promise<AccessCheck[]>;
}
