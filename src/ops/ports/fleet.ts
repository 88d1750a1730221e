// The Fleet port: which gateway instances there are, whatever the backend (Kubernetes, a fleet file).

/** One gateway instance, whatever the fleet backend (a pod, a VM, a pm2 process). */
export interface Instance {
  /** Pod name or the fleet file's entry name. Unique within a fleet. */
  name: string;
  /** IP or host the instance is reached on, when known. */
  address?: string;
  /** Kubernetes uid; a StatefulSet re-creates the same name with a new uid (RELIABILITY rule 3). */
  uid?: string;
  /** Kubernetes readiness (Ready condition). Undefined when the backend has no such notion. */
  ready?: boolean;
  phase?: string;
  /** Set when the pod is terminating (ISO time). */
  deletionTimestamp?: string;
  restarts?: number;
  /** Creation time, ms since the epoch (wall clock; only for display). */
  createdAtMs?: number;
  /** StatefulSet revision (controller-revision-hash). */
  revision?: string;
  /** StatefulSet ordinal parsed from the pod name. */
  ordinal?: number;
  /** Explicit endpoints (static fleets); Kubernetes instances are reached through the transport. */
  adminUrl?: string;
  healthUrl?: string;
  wsUrl?: string;
}

/** What a fleet is, for the plan header printed before any mutation. */
export interface FleetDescription {
  kind: 'kubernetes' | 'static';
  /** Human summary, e.g. `fleet.yaml` or `cluster kind-sandbox, context sandbox, namespace conduit`. */
  source: string;
  cluster?: string;
  context?: string;
  namespace?: string;
}

/** What the user named on the command line. */
export type Target =
  | { kind: 'all' }
  | { kind: 'names'; names: string[] }
  | { kind: 'selector'; selector: string }
  | { kind: 'workload'; workloadKind: 'statefulset' | 'deployment'; name: string };

/** The Fleet port: finds instances. Kubernetes adds workload operations through `Workloads`. */
export interface Fleet {
  describe(): FleetDescription;
  /** Resolve a target to instances, sorted by name (ordinal for StatefulSets). Unknown names → UsageError. */
  resolve(target: Target, signal?: AbortSignal): Promise<Instance[]>;
  /** Re-read one instance; undefined when it is gone (NotFound). */
  get(name: string, signal?: AbortSignal): Promise<Instance | undefined>;
}
