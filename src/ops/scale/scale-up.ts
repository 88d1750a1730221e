// Scale up: the conditional write, then wait for the new pods to be Ready.

import { formatDuration } from '../../util/duration.js';
import type { ScaleResult } from './result.js';
import type { ScaleRun } from './run-context.js';
import { waitForNewPodsReady } from './wait-ready.js';
import { writeForRun } from './write.js';

export async function scaleUp(run: ScaleRun): Promise<ScaleResult> {
  const { options: o, plan } = run;
  const write = await writeForRun(run);
  if (write.kind !== 'written') {
    return run.finish('conflict', `nothing written: ${write.message}`, { writeAttempts: write.attempts, hint: 're-read the StatefulSet and run the scale again if it is still wanted' });
  }
  const written = { written: true, writeAttempts: write.attempts, replicasNow: plan.requested };
  const ready = await waitForNewPodsReady({
    workloads: o.workloads,
    statefulSet: run.statefulSet,
    plan,
    clock: o.clock,
    deadline: run.deadline,
    pollIntervalMs: o.settings.pollIntervalMs,
    signal: o.signal,
    emit: run.emit,
  });
  switch (ready.kind) {
    case 'ready':
      return run.finish('scaled', `scaled statefulset ${plan.statefulSet} from ${plan.current} to ${plan.requested}; every pod is Ready`, written);
    case 'reverted':
      return run.finish('conflict', `spec.replicas was written to ${plan.requested} but is now ${ready.replicas}: something (an HPA?) reverted it`, { ...written, replicasNow: ready.replicas });
    case 'timeout':
      return run.finish(
        'timeout',
        `spec.replicas is ${plan.requested}, but after ${formatDuration(o.settings.timeoutMs)} ${ready.pending.join(', ')} ${ready.pending.length === 1 ? 'is' : 'are'} not Ready` +
          (ready.unknown ? ` (state unknown: ${ready.unknown})` : ''),
        { ...written, hint: `kubectl describe pod ${ready.pending[0]} shows why` },
      );
  }
}
