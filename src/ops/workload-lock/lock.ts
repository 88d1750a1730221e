// One operator at a time (RELIABILITY rule 7): a Lease per workload, renewed every third of its
// duration while the operation runs and released at the end. A second run is refused naming the
// holder and since when.

import { RefusedError } from '../errors.js';
import type { Clock, HeldLease, LeaseHolder, Workloads } from '../ports/index.js';
import { isAbortError } from '../../util/abort.js';

export interface HeldLock {
  name: string;
  /** True once a renewal failed: the lock may be someone else's now, so no more writes. */
  lost(): string | undefined;
  release(): Promise<void>;
}

export interface LockOptions {
  workloads: Workloads;
  clock: Clock;
  /** The Lease's name: workloadLockName(kind, workload). */
  name: string;
  holder: string;
  durationSeconds: number;
  signal: AbortSignal;
  onRenewFailed(reason: string): void;
}

export async function takeLock(o: LockOptions): Promise<HeldLock> {
  const attempt = await o.workloads.acquireLease(o.name, o.holder, o.durationSeconds, o.signal);
  if (!attempt.acquired) throw heldBy(o.name, attempt.holder, o.clock);
  const lease = attempt.lease;
  const stopRenewing = new AbortController();
  let lostReason: string | undefined;
  const renewing = renewLoop(lease, o, stopRenewing.signal, (reason) => {
    lostReason ??= reason;
    o.onRenewFailed(reason);
  });
  return {
    name: o.name,
    lost: () => lostReason,
    async release() {
      stopRenewing.abort();
      await renewing;
      await lease.release().catch(() => undefined);
    },
  };
}

async function renewLoop(lease: HeldLease, o: LockOptions, stop: AbortSignal, failed: (reason: string) => void): Promise<void> {
  const every = (o.durationSeconds * 1000) / 3;
  for (;;) {
    try {
      await o.clock.sleep(every, stop);
      await lease.renew(stop);
    } catch (error) {
      if (stop.aborted || isAbortError(error)) return;
      failed(error instanceof Error ? error.message : String(error));
    }
  }
}

function heldBy(name: string, holder: LeaseHolder, clock: Clock): RefusedError {
  const since = holder.acquiredAtMs ?? holder.renewedAtMs;
  const when = since === undefined ? '' : ` since ${new Date(since).toISOString()} (${Math.max(0, Math.round((clock.wallNow() - since) / 1000))}s ago)`;
  return new RefusedError(
    `another operator holds the lock: Lease ${name} is held by ${holder.holder}${when}`,
    `wait for it to finish; a stale lease is taken over only after it expires (${holder.durationSeconds}s without renewal)`,
  );
}
