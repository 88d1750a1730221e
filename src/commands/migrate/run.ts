import type { Session } from '../../cli/session.js';
import { UsageError } from '../../ops/errors.js';
import { statefulSetNameOf } from '../../ops/kube-drain/preflight.js';
import { migrateSource } from '../../ops/migrate/migrate-source.js';
import type { MigrationResult } from '../../ops/migrate/result.js';
import type { Fleet, Instance, StatefulSetInfo, Workloads } from '../../ops/ports/index.js';
import { createProgress, followEvents } from '../../ui/progress.js';
import { writeReport } from '../../ui/report.js';
import type { MigrateCommandOptions } from './index.js';
import { migrationFailure } from '../shared/migration/outcome.js';
import { migrationDocument, migrationEventLine, migrationStatus, renderMigration } from '../shared/migration/render.js';
import { destinationFor, lockStatefulSet, maxConnectionsOf, newRunId } from '../shared/migration/wiring.js';

export async function runMigrate(session: Session, options: MigrateCommandOptions): Promise<void> {
  const { io, factory } = session;
  // On Kubernetes the source pod's StatefulSet declares the contract: read it once, before the gateway client.
  let resolved: Instance | undefined;
  const sourceIn = async (fleet: Fleet) => (resolved ??= (await fleet.resolve({ kind: 'names', names: [options.source] }, factory.signal))[0]);
  const { fleet, gateway, workloads, statefulSet } = await session.connect(undefined, {
    workload: async (kube) => statefulSetOf(kube.workloads, (await sourceIn(kube.fleet))!, factory.signal),
  });
  const source = await sourceIn(fleet);
  const receivers = await receiversOf(fleet, options, source!, statefulSet);
  const destination = await destinationFor(session, options.migrate, source!, {
    ...(statefulSet ? { statefulSet } : {}),
    ...(workloads ? { workloads } : {}),
    rotationTimeoutMs: options.migrate.rotationTimeoutMs,
    pollIntervalMs: options.pollIntervalMs,
  });

  const lock = statefulSet && workloads && !options.dryRun ? await lockStatefulSet(session, workloads, statefulSet) : undefined;
  const progress = createProgress(io, `reading ${options.source} and its receivers…`);
  let result: MigrationResult;
  try {
    result = await migrateSource({
      gateway,
      clock: factory.clock,
      signal: factory.signal,
      source: source!,
      receivers,
      fleet,
      ...(maxConnectionsOf(options.migrate, statefulSet) !== undefined ? { maxConnections: maxConnectionsOf(options.migrate, statefulSet)! } : {}),
      destination,
      settings: {
        pacing: options.migrate.pacing,
        window: options.migrate.window,
        timeoutMs: options.timeoutMs,
        ...(options.count !== undefined ? { limit: options.count } : {}),
      },
      runId: newRunId(source!.name),
      dryRun: options.dryRun,
      ...(lock ? { lock } : {}),
      onEvent: followEvents(progress, { line: (e) => migrationEventLine(e, io.progress || io.verbosity > 0), status: migrationStatus }),
    });
  } finally {
    progress.stop();
    await lock?.release();
  }
  writeReport(io, migrationDocument(result), (wide) => renderMigration(result, { wide }));
  const failure = migrationFailure(result);
  if (failure) throw failure;
}

async function statefulSetOf(workloads: Workloads, pod: Instance, signal: AbortSignal): Promise<StatefulSetInfo> {
  const name = statefulSetNameOf(pod);
  if (!name) throw new UsageError(`${pod.name} does not belong to a StatefulSet (NAME-ORDINAL); migrate moves clients between a StatefulSet's pods`);
  const statefulSet = await workloads.getStatefulSet(name, signal);
  if (!statefulSet) throw new UsageError(`statefulset "${name}" (owner of ${pod.name}) not found`);
  return statefulSet;
}

async function receiversOf(fleet: Fleet, options: MigrateCommandOptions, source: Instance, statefulSet?: StatefulSetInfo): Promise<Instance[]> {
  if (options.to) return fleet.resolve({ kind: 'names', names: options.to });
  const all = await fleet.resolve(statefulSet ? { kind: 'workload', workloadKind: 'statefulset', name: statefulSet.name } : { kind: 'all' });
  return all.filter((i) => i.name !== source.name);
}
