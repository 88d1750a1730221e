// `scale sts/NAME --replicas N`, the effectful half: read and plan, print the plan first (the
// 'plan' event), stop at any failed preflight, take the Lease, then scale up or down. Always
// returns a ScaleResult saying where things were left; the command maps its outcome to an exit
// code. Only unexpected failures (and 401/403 from a gateway) are thrown.

import { RefusedError } from '../errors.js';
import { Deadline } from '../../util/deadline.js';
import type { ScaleEvent } from './events.js';
import { takeLock, workloadLockName, type HeldLock } from '../workload-lock/index.js';
import type { ScaleOptions } from './options.js';
import { planScale, type ScalePolicy } from './plan.js';
import type { ScalePlan } from './plan-types.js';
import { readPlanInput } from './read-state.js';
import type { ScaleOutcome, ScaleResult } from './result.js';
import type { ScaleRun } from './run-context.js';
import { scaleDown } from './scale-down.js';
import { scaleUp } from './scale-up.js';
import { victimsBeforeWrite } from './victims.js';

export async function scaleStatefulSet(o: ScaleOptions): Promise<ScaleResult> {
  const emit = (event: ScaleEvent) => o.onEvent?.(event);
  const startedAt = o.clock.now();
  const deadline = new Deadline(o.clock, o.settings.timeoutMs);
  const leaseName = workloadLockName('statefulset', o.name);
  const input = await readPlanInput({
    workloads: o.workloads,
    gateway: o.gateway,
    name: o.name,
    ...(o.statefulSet ? { statefulSet: o.statefulSet } : {}),
    requested: o.replicas,
    policy: policyOf(o),
    adminTransport: o.adminTransport ?? 'direct',
    signal: o.signal,
  });
  const plan = planScale(input);
  const fleet = o.fleet.describe();
  emit({ type: 'plan', fleet, plan, dryRun: o.dryRun });

  let lease: ScaleResult['lease'];
  const finish = (outcome: ScaleOutcome, message: string, extra: Partial<ScaleResult> = {}): ScaleResult => ({
    outcome,
    message,
    fleet,
    plan,
    written: false,
    writeAttempts: 0,
    replicasNow: plan.current,
    victims: victimsBeforeWrite(plan.victims),
    ...(lease ? { lease } : {}),
    ...extra,
    elapsedMs: o.clock.now() - startedAt,
  });

  const blocked = preflightOutcome(plan, o.dryRun);
  if (blocked) return finish(blocked.outcome, blocked.message, blocked.hint ? { hint: blocked.hint } : {});

  let lock: HeldLock;
  try {
    lock = await takeLock({
      workloads: o.workloads,
      clock: o.clock,
      name: leaseName,
      holder: o.holder,
      durationSeconds: o.settings.leaseDurationSeconds,
      signal: o.signal,
      onRenewFailed: (reason) => emit({ type: 'lease-renew-failed', lease: leaseName, reason }),
    });
  } catch (error) {
    if (error instanceof RefusedError) return finish('refused', error.message, error.hint ? { hint: error.hint } : {});
    throw error;
  }
  lease = { name: leaseName, holder: o.holder };
  emit({ type: 'lease-acquired', lease: leaseName, holder: o.holder });

  const run: ScaleRun = { options: o, plan, statefulSet: input.statefulSet, pods: input.pods, deadline, lock, emit, finish };
  try {
    return plan.direction === 'down' ? await scaleDown(run) : await scaleUp(run);
  } finally {
    await lock.release();
    emit({ type: 'lease-released', lease: leaseName });
  }
}

function policyOf(o: ScaleOptions): ScalePolicy {
  return {
    allowHpa: o.allowHpa,
    allowZero: o.allowZero,
    ...(o.remove ? { remove: o.remove } : {}),
    ...(o.capacityPerPod !== undefined ? { capacityPerPod: o.capacityPerPod } : {}),
    minDrainMs: o.settings.minDrainMs,
    pollIntervalMs: o.settings.pollIntervalMs,
    stableZeroPolls: o.settings.stableZeroPolls,
  };
}

/** A plan that must not (or need not) go further: usage, refused, dry run, already there. */
function preflightOutcome(plan: ScalePlan, dryRun: boolean): { outcome: ScaleOutcome; message: string; hint?: string } | undefined {
  const stoppers = plan.findings.filter((f) => f.level === 'usage' || f.level === 'refuse');
  const hint = stoppers.find((f) => f.hint)?.hint;
  const message = stoppers.map((f) => f.message).join('; ');
  switch (plan.verdict) {
    case 'usage':
      return { outcome: 'usage', message: `nothing changed: ${message}` };
    case 'refused':
      return { outcome: 'refused', message: `refused, nothing changed: ${message}`, ...(hint ? { hint } : {}) };
    case 'none':
      return { outcome: 'unchanged', message: `statefulset ${plan.statefulSet} already has ${plan.current} replicas; nothing to do` };
    case 'proceed':
      return dryRun
        ? { outcome: 'planned', message: `dry run: would scale statefulset ${plan.statefulSet} from ${plan.current} to ${plan.requested}; nothing changed` }
        : undefined;
  }
}
