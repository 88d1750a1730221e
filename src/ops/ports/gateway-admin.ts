// The GatewayAdmin port: the gateway's admin contract (DESIGN.md section 2).

import type { GatewayFailure } from '../errors.js';
import type { Instance } from './fleet.js';

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
