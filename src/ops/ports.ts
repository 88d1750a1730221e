// The ports: what ops/ needs from the world. Adapters (kube/, static-fleet/, gateway/, probe/)
// implement these and import only these types (and ./errors.ts); ops/ never imports an adapter.

import type { GatewayFailure } from './errors.js';

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

// ---------------------------------------------------------------------------------------------
// Gateway admin contract (DESIGN.md section 2)

/** A connection count. Unknown is never zero (RELIABILITY rule 1). */
export type Count =
  | { known: true; value: number; /** The process's boot id, when the gateway offers one. */ bootId?: string }
  | {
      known: false;
      bootId?: string;
      reason: string;
      /** short, sanitised snippet of what was received */ snippet?: string;
      /** Why the read failed, when it was a transport or HTTP failure ('unauthorized' → stop at once). */
      failure?: GatewayFailure;
    };

export type HealthStatus = 'ok' | 'draining' | 'unreachable' | 'unknown';

export interface Health {
  status: HealthStatus;
  httpStatus?: number;
  /** The `instance` the gateway reported about itself. */
  instance?: string;
  /** Why status is unreachable/unknown. */
  reason?: string;
  /** Set with unreachable/unknown when a transport or HTTP failure caused it. */
  failure?: GatewayFailure;
}

export interface MigrateRequest {
  count: number;
  targets: string[];
  reconnectAfterMs: number;
  jitterMs: number;
  /** Idempotency key: a retried POST with the same batchId must not migrate twice. */
  batchId?: string;
}

export interface MigrateResult {
  migrated: number;
  remaining: Count;
}

export interface DrainAck {
  /** true when the gateway answered 2xx. */
  accepted: boolean;
  httpStatus: number;
  active: Count;
}

/**
 * The GatewayAdmin port. Reads (health, connections) never throw for gateway faults: they return
 * unreachable/unknown values. Writes (drain, undrain, migrate) throw GatewayError.
 */
export interface GatewayAdmin {
  health(instance: Instance, signal?: AbortSignal): Promise<Health>;
  connections(instance: Instance, signal?: AbortSignal): Promise<Count>;
  drain(instance: Instance, signal?: AbortSignal): Promise<DrainAck>;
  undrain(instance: Instance, signal?: AbortSignal): Promise<void>;
  migrate(instance: Instance, request: MigrateRequest, signal?: AbortSignal): Promise<MigrateResult>;
  /**
   * The same client with every request's timeout clipped to the time `deadline` has left, so a
   * wait never overruns its deadline by a request timeout (RELIABILITY: "any deadline").
   */
  within(deadline: RemainingTime): GatewayAdmin;
  /** Release sockets (keep-alive agent). */
  close(): Promise<void>;
}

/** What `within` needs of a deadline (util/deadline.ts's Deadline). */
export interface RemainingTime {
  remaining(): number;
}

// ---------------------------------------------------------------------------------------------
// Time

/** All waits in ops/ go through a Clock so tests can use a fake one. */
export interface Clock {
  /** Monotonic milliseconds (deadlines; never affected by wall-clock jumps). */
  now(): number;
  /** Wall-clock ms since the epoch (display only). */
  wallNow(): number;
  /** Resolves after ms, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Sticky sampling (verify-sticky): simulated clients of a load balancer

/** A cookie as one Set-Cookie header gave it. */
export interface SetCookie {
  name: string;
  value: string;
  /** Attributes as written, names lower-cased: path, domain, max-age, expires, httponly, secure, samesite. */
  attributes: Record<string, string | true>;
}

/**
 * What one request (or one WebSocket upgrade) came back with. Only `answered` names an instance
 * that counts; every other outcome is a fault that the report counts on its own.
 */
export type SampleOutcome =
  | 'answered' //         2xx (or a WebSocket hello) naming the instance
  | 'http-error' //       a non-2xx, non-3xx status, e.g. a draining instance's 503
  | 'redirect' //         3xx: never followed
  | 'missing-instance' // 2xx without the instance field/header, or a body that is not JSON
  | 'unreachable' //      refused, reset, DNS, TLS, closed before an answer
  | 'timeout';

export interface Sample {
  outcome: SampleOutcome;
  /** The instance that answered; set only when outcome is 'answered'. */
  instance?: string;
  httpStatus?: number;
  /** For faults: the instance and status the body named (a draining gateway still says who it is). */
  reportedInstance?: string;
  reportedStatus?: string;
  /** What went wrong, briefly: an error code, the Location of a redirect, the missing field. */
  detail?: string;
  /** Cookies the answer set (Set-Cookie, or the 101 response's for WebSocket). */
  setCookies: SetCookie[];
  /** Names of the cookies this request carried. */
  sentCookies: string[];
  /** Our end of the TCP connection: shows fresh connections and the source address really used. */
  localAddress?: string;
  localPort?: number;
  /** true: this request opened its own TCP connection; false: it reused one; absent: none was made. */
  newConnection?: boolean;
  durationMs: number;
}

export interface StickyClientSpec {
  /** 1-based client number, for the report. */
  id: number;
  /** Local address to bind (--source-ips); the OS picks when absent. */
  sourceAddress?: string;
}

/** One simulated client: its own cookie jar, connections and source address. */
export interface StickyClient {
  /** One request as this client. Never throws for network or HTTP faults (aborts reject). */
  sample(signal?: AbortSignal): Promise<Sample>;
  /** Release this client's sockets. */
  close(): Promise<void>;
}

export interface StickySamplerDescription {
  /** The exact URL requested. */
  url: string;
  transport: 'http' | 'websocket';
  cookies: boolean;
  freshConnections: boolean;
  instanceFrom: { kind: 'json-field'; path: string } | { kind: 'header'; name: string };
  timeoutMs: number;
}

/** The StickySampler port (src/probe/ implements it over node:http and ws). */
export interface StickySampler {
  describe(): StickySamplerDescription;
  openClient(spec: StickyClientSpec): StickyClient;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes workloads (implemented by src/kube/; scale, drain --then, preflight use it)

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
