import type { Session } from '../../cli/session.js';
import { UsageError } from '../../ops/errors.js';
import { statefulSetNameOf } from '../../ops/kube-drain/preflight.js';
import { migrateSource, type MigrateSourceEvent } from '../../ops/migrate/migrate-source.js';
import type { Fleet, Instance, StatefulSetInfo } from '../../ops/ports/index.js';
import { runOp } from '../shared/index.js';
import type { MigrateCommandOptions } from './index.js';
import { migrationFailure } from './outcome.js';
import { migrationDocument, migrationEventLine, migrationStatus, renderMigration } from './render.js';
import { destinationFor, lockStatefulSet, maxConnectionsOf, newRunId } from './wiring.js';

export async function runMigrate(session: Session, options: MigrateCommandOptions): Promise<void> {
  const { io, factory } = session;
  const fleet = await session.fleet();
  const [source] = await fleet.resolve({ kind: 'names', names: [options.source] }, factory.signal);
  const statefulSet = session.onKubernetes ? await statefulSetOf(session, source!) : undefined;
  const receivers = await receiversOf(fleet, options, source!, statefulSet);
  const gateway = await session.gateway();
  const destination = await destinationFor(session, options.migrate, source!, {
    ...(statefulSet ? { statefulSet } : {}),
    rotationTimeoutMs: options.migrate.rotationTimeoutMs,
    pollIntervalMs: options.pollIntervalMs,
  });

  const lock = statefulSet && !options.dryRun ? await lockStatefulSet(session, statefulSet) : undefined;
  const maxConnections = maxConnectionsOf(options.migrate, statefulSet);
  try {
    await runOp(io, {
      starting: `reading ${options.source} and its receivers…`,
      events: { line: (event: MigrateSourceEvent) => migrationEventLine(event, io.progress || io.verbosity > 0), status: migrationStatus },
      call: (onEvent) =>
        migrateSource({
          gateway,
          clock: factory.clock,
          signal: factory.signal,
          source: source!,
          receivers,
          fleet,
          ...(maxConnections !== undefined ? { maxConnections } : {}),
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
          onEvent,
        }),
      document: migrationDocument,
      render: (result, wide) => renderMigration(result, { wide }),
      failure: migrationFailure,
    });
  } finally {
    await lock?.release();
  }
}

async function statefulSetOf(session: Session, pod: Instance): Promise<StatefulSetInfo> {
  const name = statefulSetNameOf(pod);
  if (!name) throw new UsageError(`${pod.name} does not belong to a StatefulSet (NAME-ORDINAL); migrate moves clients between a StatefulSet's pods`);
  const workloads = await session.workloads();
  const statefulSet = await workloads.getStatefulSet(name, session.factory.signal);
  if (!statefulSet) throw new UsageError(`statefulset "${name}" (owner of ${pod.name}) not found`);
  await session.useAnnotations(statefulSet);
  return statefulSet;
}

async function receiversOf(fleet: Fleet, options: MigrateCommandOptions, source: Instance, statefulSet?: StatefulSetInfo): Promise<Instance[]> {
  if (options.to) return fleet.resolve({ kind: 'names', names: options.to });
  const all = await fleet.resolve(statefulSet ? { kind: 'workload', workloadKind: 'statefulset', name: statefulSet.name } : { kind: 'all' });
  return all.filter((i) => i.name !== source.name);
}
