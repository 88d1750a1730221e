// The per-workload lock (RELIABILITY rule 7): a coordination.k8s.io Lease. Every write is
// conditional (create, or replace carrying the resourceVersion read), so two runs can never both win.
// Release clears the holder instead of deleting, so the Role needs no `delete` on leases.

import type { V1Lease } from '@kubernetes/client-node';
// A deep import: the package entry would load the whole generated API for one small class.
import { V1MicroTime } from '@kubernetes/client-node/dist/types.js';
import { ConflictError, UsageError } from '../ops/errors.js';
import type { HeldLease, LeaseAttempt, LeaseHolder } from '../ops/ports/index.js';
import { dns1123SubdomainProblem } from '../util/names.js';
import type { KubeClient } from './client.js';
import { classifyFailure } from './errors.js';

/** Lost races re-read and try again at most this often before reporting a conflict. */
const MAX_RACES = 5;

export interface LeaseOptions {
  /** Wall clock (ms since the epoch): lease times are wall-clock times by definition. */
  wallNow?: () => number;
}

function timeMs(value: Date | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function holderOf(lease: V1Lease): LeaseHolder {
  const spec = lease.spec ?? {};
  const holder: LeaseHolder = { holder: spec.holderIdentity ?? '', durationSeconds: spec.leaseDurationSeconds ?? 0 };
  const acquired = timeMs(spec.acquireTime);
  const renewed = timeMs(spec.renewTime);
  if (acquired !== undefined) holder.acquiredAtMs = acquired;
  if (renewed !== undefined) holder.renewedAtMs = renewed;
  return holder;
}

function heldByOther(lease: V1Lease, holder: string, nowMs: number): boolean {
  const current = holderOf(lease);
  if (!current.holder || current.holder === holder) return false;
  const since = current.renewedAtMs ?? current.acquiredAtMs;
  // A holder with no times cannot be shown to have expired: treat it as held.
  if (since === undefined) return true;
  return since + current.durationSeconds * 1000 > nowMs;
}

export class LeaseLock {
  private readonly wallNow: () => number;

  constructor(
    private readonly client: KubeClient,
    options: LeaseOptions = {},
  ) {
    this.wallNow = options.wallNow ?? Date.now;
  }

  async acquire(name: string, holder: string, durationSeconds: number, signal?: AbortSignal): Promise<LeaseAttempt> {
    const problem = dns1123SubdomainProblem(name);
    if (problem) throw new UsageError(`invalid lease name ${JSON.stringify(name)}: ${problem}`);
    if (!holder) throw new UsageError('a lease holder identity must not be empty');
    if (!Number.isInteger(durationSeconds) || durationSeconds < 1) throw new UsageError(`invalid lease duration ${durationSeconds}: must be a whole number of seconds ≥ 1`);
    for (let race = 0; race < MAX_RACES; race++) {
      const existing = await this.read(name, signal);
      const now = this.wallNow();
      if (existing && heldByOther(existing, holder, now)) return { acquired: false, holder: holderOf(existing) };
      const transitions = (existing?.spec?.leaseTransitions ?? 0) + (existing && existing.spec?.holderIdentity !== holder ? 1 : 0);
      const body: V1Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace: this.client.namespace, ...(existing ? { resourceVersion: existing.metadata?.resourceVersion } : {}) },
        spec: { holderIdentity: holder, leaseDurationSeconds: durationSeconds, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: transitions },
      };
      const written = existing ? await this.replace(name, body, signal) : await this.create(body, signal);
      if (written) return { acquired: true, lease: this.held(name, holder) };
    }
    throw new ConflictError(`lease "${name}" in namespace "${this.client.namespace}" kept changing while taking it; another operator is racing for it`);
  }

  private held(name: string, holder: string): HeldLease {
    return {
      name,
      renew: async (signal) => {
        for (let race = 0; race < MAX_RACES; race++) {
          const lease = await this.read(name, signal);
          if (!lease || lease.spec?.holderIdentity !== holder) {
            throw new ConflictError(`lost the lock: lease "${name}" is now ${lease ? `held by ${lease.spec?.holderIdentity || 'nobody'}` : 'gone'}`);
          }
          lease.spec = { ...lease.spec, renewTime: microTime(this.wallNow()) };
          if (await this.replace(name, lease, signal)) return;
        }
        throw new ConflictError(`lease "${name}" kept changing while renewing it`);
      },
      release: async () => {
        for (let race = 0; race < MAX_RACES; race++) {
          const lease = await this.read(name);
          if (!lease || lease.spec?.holderIdentity !== holder) return;
          const { holderIdentity: _holder, renewTime: _renewed, acquireTime: _acquired, ...rest } = lease.spec;
          lease.spec = rest;
          if (await this.replace(name, lease)) return;
        }
        throw new ConflictError(`lease "${name}" kept changing while releasing it`);
      },
    };
  }

  private async read(name: string, signal?: AbortSignal): Promise<V1Lease | undefined> {
    const op = this.client.op('get', 'leases.coordination.k8s.io', name);
    const outcome = await this.client.attempt(
      op,
      (apis, options) => apis.coordination.readNamespacedLease({ name, namespace: this.client.namespace }, options.plain),
      signal,
    );
    if (outcome.ok) return outcome.value;
    if (outcome.failure.status === 404) return undefined;
    throw classifyFailure(outcome.failure, op);
  }

  /** false when someone else created it first. */
  private async create(body: V1Lease, signal?: AbortSignal): Promise<boolean> {
    const op = this.client.op('create', 'leases.coordination.k8s.io', body.metadata?.name);
    const outcome = await this.client.attempt(
      op,
      (apis, options) => apis.coordination.createNamespacedLease({ namespace: this.client.namespace, body }, options.plain),
      signal,
    );
    if (outcome.ok) return true;
    if (outcome.failure.status === 409) return false;
    throw classifyFailure(outcome.failure, op);
  }

  /** false when the resourceVersion is stale (409) or the lease vanished (404). */
  private async replace(name: string, body: V1Lease, signal?: AbortSignal): Promise<boolean> {
    const op = this.client.op('update', 'leases.coordination.k8s.io', name);
    const outcome = await this.client.attempt(
      op,
      (apis, options) => apis.coordination.replaceNamespacedLease({ name, namespace: this.client.namespace, body }, options.plain),
      signal,
    );
    if (outcome.ok) return true;
    if (outcome.failure.status === 409 || outcome.failure.status === 404) return false;
    throw classifyFailure(outcome.failure, op);
  }
}

/** RFC 3339 with exactly six fractional digits: the API server's MicroTime rejects anything else. */
function microTime(ms: number): V1MicroTime {
  return new V1MicroTime(ms);
}
