// Scale down, the procedure of reference 001's script done safely:
//   1. drain every victim in parallel until each holds a stable zero (drainInstances);
//   2. read each victim again directly: the same pod, a known 0 — else no write;
//   3. write spec.replicas with the resourceVersion read at plan time (409 → re-check, ≤ N times);
//   4. watch the victims go (NotFound or a new uid), catching a revert or a stalled controller.
// An interrupt before the write undrains what this run drained (unless keepDraining).

import { drainInstances, undrainAfter, type DrainEvent, type DrainResult } from '../drain/index.js';
import { Deadline } from '../../util/deadline.js';
import { formatDuration } from '../../util/duration.js';
import { isAbortError } from '../../util/abort.js';
import type { Instance } from '../ports/index.js';
import type { ScaleResult } from './result.js';
import type { ScaleRun } from './run-context.js';
import { describeVictims, victimsAfterWrite, victimsBeforeWrite } from './victims.js';
import { waitForVictimsGone } from './wait-gone.js';
import { writeForRun } from './write.js';

export async function scaleDown(run: ScaleRun): Promise<ScaleResult> {
  const { options: o, plan } = run;
  const toDrain = victimInstances(run);
  let drain: DrainResult | undefined;
  let writing = false;

  const interrupted = async (): Promise<ScaleResult> => {
    if (writing) {
      return run.finish('interrupted', `interrupted while writing spec.replicas: it may or may not be ${plan.requested} now; the victims were drained`, {
        victims: victimsBeforeWrite(plan.victims, drain),
        ...(drain ? { drain } : {}),
        hint: `kubectl get sts ${plan.statefulSet} shows which; re-running the same command is safe`,
      });
    }
    if (drain && !o.keepDraining) drain = await undrainAfter(drain, toDrain, undrainDeps(run), 'interrupted');
    const victims = victimsBeforeWrite(plan.victims, drain);
    return run.finish('interrupted', `interrupted before the scale was written: ${describeVictims(victims)}`, {
      victims,
      ...(drain ? { drain } : {}),
      hint: 'nothing was scaled; run the same command again to resume',
    });
  };

  try {
    if (toDrain.length > 0) {
      drain = await drainInstances({
        instances: toDrain,
        gateway: o.gateway,
        clock: o.clock,
        fleet: o.fleet,
        signal: o.signal,
        settings: { ...o.settings, timeoutMs: Math.max(1, run.deadline.remaining()), keepDraining: o.keepDraining },
        onEvent: (event) => run.emit({ type: 'drain', event }),
      });
      const stopped = drainStopped(run, drain);
      if (stopped) return stopped;
    }

    const write = await writeForRun(run, (event) => {
      if (event.type === 'write-attempt') writing = true;
      if (event.type === 'conflict-retry') writing = false;
      run.emit(event);
    });
    writing = false;
    if (write.kind === 'not-zero') {
      const victims = victimsBeforeWrite(plan.victims, drain);
      return run.finish('timeout', `not scaled: ${write.message}; left: ${describeVictims(victims)}`, {
        victims,
        writeAttempts: write.attempts,
        ...(drain ? { drain } : {}),
        hint: 'the victims stay draining (safe); run the same command again to wait for them',
      });
    }
    if (write.kind === 'conflict') {
      if (drain && !o.keepDraining) drain = await undrainAfter(drain, toDrain, undrainDeps(run), 'the scale was abandoned');
      const victims = victimsBeforeWrite(plan.victims, drain);
      return run.finish('conflict', `not scaled: ${write.message}; left: ${describeVictims(victims)}`, {
        victims,
        writeAttempts: write.attempts,
        ...(drain ? { drain } : {}),
        hint: 'look at the StatefulSet again (kubectl get sts -o yaml) and decide before re-running',
      });
    }
    return await watchRemoval(run, write.attempts, drain);
  } catch (error) {
    if (isAbortError(error) || o.signal.aborted) return interrupted();
    throw error;
  }
}

/** The drain ended without every victim at a stable zero: say so and write nothing. */
function drainStopped(run: ScaleRun, drain: DrainResult): ScaleResult | undefined {
  const { plan } = run;
  const victims = victimsBeforeWrite(plan.victims, drain);
  const left = describeVictims(victims);
  const common = { victims, drain };
  switch (drain.outcome) {
    case 'drained':
      return undefined;
    case 'timeout':
      return run.finish('timeout', `not scaled: the victims did not reach a stable zero within ${formatDuration(run.options.settings.timeoutMs)}: ${left}`, {
        ...common,
        hint: 'the victims stay draining (safe); run the same command again to keep waiting, or put them back with conduitctl undrain POD…',
      });
    case 'interrupted':
      return run.finish('interrupted', `interrupted before the scale was written: ${left}`, { ...common, hint: 'nothing was scaled; run the same command again to resume' });
    case 'not-confirmed':
      return run.finish('refused', `not scaled: a victim accepted the drain but /health never reported "draining": ${left}`, {
        ...common,
        hint: 'nothing may be removed while its gateway still serves; check its drain implementation',
      });
    case 'restarted':
      return run.finish('restarted', `not scaled: a victim restarted while draining and dropped its connections: ${left}`, common);
  }
}

async function watchRemoval(run: ScaleRun, writeAttempts: number, drain: DrainResult | undefined): Promise<ScaleResult> {
  const { options: o, plan } = run;
  const written = { written: true, writeAttempts, replicasNow: plan.requested, ...(drain ? { drain } : {}) };
  // The victims need at least their grace period to go, even when the drain used most of --timeout.
  const graceMs = plan.terminationGracePeriodSeconds * 1000 + 2 * o.settings.pollIntervalMs;
  const deadline = new Deadline(o.clock, Math.max(run.deadline.remaining(), graceMs));
  try {
    const gone = await waitForVictimsGone({
      fleet: o.fleet,
      workloads: o.workloads,
      statefulSet: run.statefulSet,
      plan,
      clock: o.clock,
      deadline,
      pollIntervalMs: o.settings.pollIntervalMs,
      stallAfterMs: o.settings.stallAfterMs,
      signal: o.signal,
      emit: run.emit,
    });
    const scaledFrom = `statefulset ${plan.statefulSet} scaled from ${plan.current} to ${plan.requested}`;
    switch (gone.kind) {
      case 'gone':
        return run.finish('scaled', `${scaledFrom}; ${describeVictims(victimsAfterWrite(plan.victims, []))} after draining to 0`, {
          ...written,
          victims: victimsAfterWrite(plan.victims, []),
        });
      case 'reverted':
        return run.finish('conflict', `spec.replicas was written to ${plan.requested} but is now ${gone.replicas}: something (an HPA?) reverted it`, {
          ...written,
          replicasNow: gone.replicas,
          victims: victimsAfterWrite(plan.victims, plan.victims.map((v) => v.name)),
        });
      case 'stalled':
        return run.finish(
          'stalled',
          `${scaledFrom}, but the controller removes nothing while ${gone.blockers.join(', ')} ${gone.blockers.length === 1 ? 'is' : 'are'} not Ready (OrderedReady): ${gone.pending.join(', ')} still there (drained, 0 connections)`,
          { ...written, victims: victimsAfterWrite(plan.victims, gone.pending), hint: `fix ${gone.blockers[0]}'s readiness; nothing else was touched` },
        );
      case 'timeout':
        return run.finish(
          'timeout',
          `${scaledFrom}, but ${gone.pending.join(', ')} ${gone.pending.length === 1 ? 'is' : 'are'} still there` + (gone.unknown ? ` (state unknown: ${gone.unknown})` : ''),
          { ...written, victims: victimsAfterWrite(plan.victims, gone.pending), hint: 'the victims were drained to 0; kubectl get pods shows why they are not gone yet' },
        );
    }
  } catch (error) {
    if (!(isAbortError(error) || o.signal.aborted)) throw error;
    return run.finish('interrupted', `interrupted after the scale was written: statefulset ${plan.statefulSet} is at ${plan.requested}; the drained victims are being removed`, {
      ...written,
      victims: victimsAfterWrite(plan.victims, plan.victims.map((v) => v.name)),
      hint: `kubectl get pods -w shows them go`,
    });
  }
}

function victimInstances(run: ScaleRun): Instance[] {
  return run.plan.victims
    .filter((v) => v.exists && !v.terminating)
    .map((v) => run.pods.find((p) => p.name === v.name))
    .filter((p): p is Instance => p !== undefined);
}

function undrainDeps(run: ScaleRun) {
  return { gateway: run.options.gateway, clock: run.options.clock, emit: (event: DrainEvent) => run.emit({ type: 'drain', event }) };
}
