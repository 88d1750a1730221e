import type { Session } from '../../cli/session.js';
import { defaultScaleSettings, scaleStatefulSet, type ScaleEvent } from '../../ops/scale/index.js';
import { failureOf, runOp } from '../shared/index.js';
import type { ScaleCommandOptions } from './index.js';
import { eventLine, progressText, renderScaleResult, scaleDocument } from './render.js';

export async function runScale(session: Session, options: ScaleCommandOptions): Promise<void> {
  const { io, factory } = session;
  const { workloads, fleet, gateway, statefulSet, adminTransport } = await session.connectKubernetes({ kind: 'workload', workloadKind: 'statefulset', name: options.statefulSet });
  const { keepDraining, ...timing } = options.timing;

  await runOp(io, {
    starting: 'reading the StatefulSet…',
    events: { line: eventLine, status: (event: ScaleEvent) => progressText(event) },
    call: (onEvent) =>
      scaleStatefulSet({
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
        keepDraining,
        ...(options.remove ? { remove: options.remove } : {}),
        ...(options.capacityPerPod !== undefined ? { capacityPerPod: options.capacityPerPod } : {}),
        ...(statefulSet ? { statefulSet } : {}),
        adminTransport,
        holder: factory.operator,
        settings: { ...defaultScaleSettings, ...timing, stallAfterMs: options.stallAfterMs },
        onEvent,
      }),
    document: scaleDocument,
    render: (result, wide) => renderScaleResult(result, { wide, color: io.color }),
    failure: (result) => failureOf(result.outcome, result.message, result.hint),
  });
}
