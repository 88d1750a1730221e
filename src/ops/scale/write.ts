// The conditional write of spec.replicas (RELIABILITY rule 5, kubectl's pkg/scale): it carries
// the resourceVersion read at plan time. A 409 is never retried blindly: every precondition is
// read again; if spec.replicas moved (a colleague's `kubectl scale`, an HPA) the scale stops with
// a conflict and overwrites nothing. Before every attempt of a scale-down each victim is read
// directly and must still be the drained pod at a known 0.

import type { Fleet, GatewayAdmin, Workloads } from '../ports/index.js';
import { confirmAtZero, describeProblem } from '../removal/index.js';
import type { ScaleEvent } from './events.js';
import type { ScalePlan } from './plan-types.js';
import type { ScaleRun } from './run-context.js';
import { victimInstance } from './victims.js';

export type WriteOutcome =
  | { kind: 'written'; attempts: number; resourceVersion: string }
  /** Someone else changed the StatefulSet, a victim was re-created, the lock was lost, or 409 too often. */
  | { kind: 'conflict'; attempts: number; message: string }
  /** A victim was not at a known 0 just before the write. Nothing was written. */
  | { kind: 'not-zero'; attempts: number; message: string };

export interface WriteOptions {
  workloads: Workloads;
  fleet: Fleet;
  gateway: GatewayAdmin;
  plan: ScalePlan;
  allowHpa: boolean;
  maxAttempts: number;
  signal: AbortSignal;
  emit(event: ScaleEvent): void;
  /** Why the lock is no longer ours, if it is not. */
  lockLost(): string | undefined;
}

/** The conditional write with everything it needs taken from the run; `emit` may watch the events. */
export function writeForRun(run: ScaleRun, emit: (event: ScaleEvent) => void = run.emit): Promise<WriteOutcome> {
  const { options: o } = run;
  return writeReplicas({
    workloads: o.workloads,
    fleet: o.fleet,
    gateway: o.gateway,
    plan: run.plan,
    allowHpa: o.allowHpa,
    maxAttempts: o.settings.maxWriteAttempts,
    signal: o.signal,
    emit,
    lockLost: run.lock.lost,
  });
}

export async function writeReplicas(o: WriteOptions): Promise<WriteOutcome> {
  const { plan } = o;
  let resourceVersion = plan.resourceVersion;
  for (let attempt = 1; attempt <= o.maxAttempts; attempt++) {
    if (plan.direction === 'down') {
      const problems = await confirmAtZero({
        fleet: o.fleet,
        gateway: o.gateway,
        drained: plan.victims.filter((v) => v.exists).map(victimInstance),
        signal: o.signal,
        onCount: (instance, count) =>
          o.emit(count.known && count.value === 0 ? { type: 'victim-zero-confirmed', instance } : { type: 'victim-not-zero', instance, count }),
      });
      const replaced = problems.filter((p) => p.kind === 'replaced');
      if (replaced.length) return { kind: 'conflict', attempts: attempt - 1, message: replaced.map(describeProblem).join('; ') };
      if (problems.length) return { kind: 'not-zero', attempts: attempt - 1, message: problems.map(describeProblem).join('; ') };
    }
    const lost = o.lockLost();
    if (lost) return { kind: 'conflict', attempts: attempt - 1, message: `the lock could not be renewed (${lost}): another operator may act on this StatefulSet` };
    o.signal.throwIfAborted();

    o.emit({ type: 'write-attempt', attempt, replicas: plan.requested, resourceVersion });
    const written = await o.workloads.setReplicas(plan.statefulSet, plan.requested, resourceVersion, o.signal);
    if (written.kind === 'written') {
      o.emit({ type: 'written', replicas: plan.requested, resourceVersion: written.resourceVersion });
      return { kind: 'written', attempts: attempt, resourceVersion: written.resourceVersion };
    }

    const recheck = await recheckPreconditions(o);
    if ('change' in recheck) return { kind: 'conflict', attempts: attempt, message: recheck.change };
    resourceVersion = recheck.resourceVersion;
    if (attempt < o.maxAttempts) o.emit({ type: 'conflict-retry', attempt, message: written.message });
  }
  return {
    kind: 'conflict',
    attempts: o.maxAttempts,
    message: `the scale write was refused with 409 Conflict ${o.maxAttempts} times although nothing relevant changed; not retrying further`,
  };
}

/** After a 409: is the world still the one the plan was made for? */
async function recheckPreconditions(o: WriteOptions): Promise<{ resourceVersion: string } | { change: string }> {
  const { plan } = o;
  const statefulSet = await o.workloads.getStatefulSet(plan.statefulSet, o.signal);
  if (!statefulSet) return { change: `statefulset ${plan.statefulSet} was deleted during the scale` };
  if (statefulSet.uid !== plan.statefulSetUid) return { change: `statefulset ${plan.statefulSet} was deleted and re-created during the scale` };
  const scale = await o.workloads.getScale(plan.statefulSet, o.signal);
  if (scale.replicas !== plan.current) {
    return {
      change:
        `spec.replicas changed from ${plan.current} to ${scale.replicas} since the plan was made ` +
        `(another operator's kubectl scale, an HPA or a GitOps controller); not overwritten`,
    };
  }
  if (statefulSet.podManagementPolicy !== plan.podManagementPolicy) {
    return { change: `podManagementPolicy changed from ${plan.podManagementPolicy} to ${statefulSet.podManagementPolicy}` };
  }
  if (!o.allowHpa) {
    const hpas = await o.workloads.hpasTargeting('StatefulSet', plan.statefulSet, o.signal);
    if (hpas.length) return { change: `HorizontalPodAutoscaler ${hpas.map((h) => h.name).join(', ')} now targets the StatefulSet` };
  }
  return { resourceVersion: scale.resourceVersion };
}
