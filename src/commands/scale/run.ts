import type { Session } from '../../cli/session.js';
import { defaultScaleSettings, scaleStatefulSet, type ScaleEvent } from '../../ops/scale/index.js';
import { failureOf, runOp } from '../shared/index.js';
import type { ScaleCommandOptions } from './index.js';
import { eventLine, progressText, renderScaleResult, scaleDocument } from './render.js';
import { migrationsAlongside, migrationsDocument, migrationsText, type QueuedMigration } from './migrations.js';

export async function runScale(session: Session, options: ScaleCommandOptions): Promise<void> {
  const { io, factory } = session;
  const { workloads, fleet, gateway, statefulSet, adminTransport } = await session.connectKubernetes({ kind: 'workload', workloadKind: 'statefulset', name: options.statefulSet });
  const { keepDraining, ...timing } = options.timing;

  let migrations: QueuedMigration[] = [];
  await runOp(io, {
    starting: 'reading the StatefulSet…',
    events: { line: (event: ScaleEvent) => eventLine(event, io.verbosity), status: (event: ScaleEvent) => progressText(event) },
    call: async (onEvent, progress) => {
      const alongside = await migrationsAlongside(session, options, { workloads, fleet, gateway, ...(statefulSet ? { statefulSet } : {}) }, progress);
      try {
        return await scaleStatefulSet({
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
        onEvent: (event) => {
          if (event.type === 'drain') alongside?.onDrainEvent(event.event);
          onEvent(event);
        },
      });
      } finally {
        migrations = (await alongside?.finish()) ?? [];
      }
    },
    document: (result) => ({ ...scaleDocument(result), ...migrationsDocument(migrations) }),
    render: (result, wide) => `${migrationsText(migrations)}${renderScaleResult(result, { wide, color: io.color })}`,
    failure: (result) => failureOf(result.outcome, result.message, result.hint),
  });
}
