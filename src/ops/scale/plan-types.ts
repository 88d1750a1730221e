// What `scale` intends to do, as data: the plan printed before any mutation (RELIABILITY rule 6)
// and re-checked before the write (rule 5).

import type { Count } from '../ports/index.js';

export type ScaleDirection = 'up' | 'down' | 'none';

/** Which preflight check a finding comes from. */
export type PreflightCheck =
  | 'replicas'
  | 'victims'
  | 'hpa'
  | 'floor'
  | 'pdb'
  | 'grace-period'
  | 'rbac'
  | 'capacity'
  | 'terminating';

/**
 * usage: the request itself is invalid (exit 2). refuse: a safety check said no (exit 3).
 * warn/info: printed with the plan; they do not stop it.
 */
export type FindingLevel = 'usage' | 'refuse' | 'warn' | 'info';

export interface Finding {
  level: FindingLevel;
  check: PreflightCheck;
  message: string;
  /** The flag or action that resolves it, when there is one. */
  hint?: string;
}

export interface VictimPlan {
  name: string;
  ordinal: number;
  /** The uid read at plan time: a pod of the same name with another uid is a different pod. */
  uid?: string;
  /** False when no pod of that ordinal exists (nothing to drain). */
  exists: boolean;
  ready: boolean;
  /** Already being deleted: not drained again, reported with its grace end. */
  terminating: boolean;
  /** deletionTimestamp: the moment the kubelet kills it. */
  graceEndsAt?: string;
  connections: Count;
}

export interface CapacityPlan {
  perPod: number;
  /** Free connection slots on the survivors that are Ready and not terminating. */
  free: number;
  survivorsCounted: number;
}

/** proceed: mutate. none: already at the requested size. blocked: a usage or refuse finding. */
export type PlanVerdict = 'proceed' | 'none' | 'usage' | 'refused';

export interface ScalePlan {
  statefulSet: string;
  /** The StatefulSet's uid at plan time: a re-created StatefulSet is another object. */
  statefulSetUid: string;
  namespace: string;
  /** spec.replicas as read through the scale subresource. */
  current: number;
  requested: number;
  direction: ScaleDirection;
  podManagementPolicy: 'OrderedReady' | 'Parallel';
  /** The scale's resourceVersion at plan time: the write's precondition. */
  resourceVersion: string;
  /** Ordinals requested…current-1, highest first is how the controller removes them. */
  victims: VictimPlan[];
  /** Pods that stay (ordinal < requested). */
  survivors: string[];
  /** Sum of the victims' known counts; null when any victim's count is unknown. */
  connectionsToMove: number | null;
  /** The least a drain can take: min drain time and the stable-zero polls. */
  estimatedDrainMs: number;
  terminationGracePeriodSeconds: number;
  capacity: CapacityPlan | null;
  findings: Finding[];
  verdict: PlanVerdict;
}
