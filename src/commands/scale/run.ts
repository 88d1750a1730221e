import type { Session } from '../../cli/session.js';
import { ConflictError, InterruptedError, RefusedError, TimeoutError, UsageError, VerificationError } from '../../ops/errors.js';
import type { AccessCheck } from '../../ops/ports/index.js';
import { scaleStatefulSet, type ScaleResult } from '../../ops/scale/index.js';
import { createProgress, followEvents } from '../../ui/progress.js';
import { writeReport } from '../../ui/report.js';
import type { ScaleCommandOptions } from './index.js';
import { eventLine, progressText, renderScaleResult, scaleDocument } from './render.js';

/** The admin API through the API server's pods/proxy needs these too. */
const PROXY_ACCESS: AccessCheck[] = [
  { verb: 'get', group: '', resource: 'pods', subresource: 'proxy' },
  { verb: 'create', group: '', resource: 'pods', subresource: 'proxy' },
];

export async function runScale(session: Session, options: ScaleCommandOptions): Promise<void> {
  const { io, factory } = session;
  const workloads = await session.workloads();
  await session.useWorkloadContract({ kind: 'workload', workloadKind: 'statefulset', name: options.statefulSet });
  const fleet = await session.fleet();
  const gateway = await session.gateway();

  const progress = createProgress(io, 'reading the StatefulSet…');
  let result: ScaleResult;
  try {
    result = await scaleStatefulSet({
      workloads,
      fleet,
      gateway,
      clock: factory.clock,
      signal: factory.signal,
      name: options.statefulSet,
      replicas: options.replicas,
      dryRun: options.dryRun,
      allowHpa: options.allowHpa,
      allowZero: options.allowZero,
      keepDraining: options.keepDraining,
      ...(options.remove ? { remove: options.remove } : {}),
      ...(options.capacityPerPod !== undefined ? { capacityPerPod: options.capacityPerPod } : {}),
      ...(session.globals.via === 'direct' ? {} : { extraAccessChecks: PROXY_ACCESS }),
      holder: session.factory.operator,
      settings: {
        timeoutMs: options.timeoutMs,
        pollIntervalMs: options.pollIntervalMs,
        minDrainMs: options.minDrainMs,
        stableZeroPolls: options.stableZeroPolls,
        confirmTimeoutMs: options.confirmTimeoutMs,
        stallAfterMs: options.stallAfterMs,
        maxWriteAttempts: 5,
        leaseDurationSeconds: 60,
      },
      onEvent: followEvents(progress, { line: eventLine, status: progressText }),
    });
  } finally {
    progress.stop();
  }

  writeReport(io, scaleDocument(result), (wide) => renderScaleResult(result, { wide, color: io.color }));
  const failure = failureOf(result);
  if (failure) throw failure;
}

function failureOf(result: ScaleResult): Error | undefined {
  const { message, hint } = result;
  switch (result.outcome) {
    case 'scaled':
    case 'unchanged':
    case 'planned':
      return undefined;
    case 'usage':
      return new UsageError(message, hint);
    case 'refused':
      return new RefusedError(message, hint);
    case 'timeout':
    case 'stalled':
      return new TimeoutError(message, hint);
    case 'conflict':
      return new ConflictError(message, hint);
    case 'interrupted':
      return new InterruptedError(message, hint);
    case 'restarted':
      return new VerificationError(message, hint);
  }
}
