// drain --migrate: wire the migration that runs alongside the drain, and its part of the report.
import type { Session } from '../../cli/session.js';
import type { QueuedMigration } from '../../ops/migrate/queue.js';

export type { QueuedMigration };
import type { Fleet, GatewayAdmin, Instance, StatefulSetInfo, Workloads } from '../../ops/ports/index.js';
import type { Progress } from '../../ui/progress.js';
import { prepareMigrationAlongside, type Alongside } from '../shared/migration/alongside.js';
import { migrationEventLine } from '../shared/migration/render.js';
import type { DrainCommandOptions } from './index.js';

export async function migrationsAlongside(
  session: Session,
  options: DrainCommandOptions,
  sources: readonly Instance[],
  world: { fleet?: Fleet; gateway: GatewayAdmin; workloads?: Workloads; statefulSet?: StatefulSetInfo },
  progress: Progress,
): Promise<Alongside | undefined> {
  if (!options.migrate) return undefined;
  const { fleet, statefulSet } = world;
  const names = new Set(sources.map((s) => s.name));
  const everyone = fleet ? await fleet.resolve(statefulSet ? { kind: 'workload', workloadKind: 'statefulset', name: statefulSet.name } : { kind: 'all' }, session.factory.signal) : [];
  return prepareMigrationAlongside(session, {
    flags: options.migrate,
    sources,
    receivers: everyone.filter((i) => !names.has(i.name)),
    ...(fleet ? { fleet } : {}),
    gateway: world.gateway,
    ...(world.workloads ? { workloads: world.workloads } : {}),
    ...(statefulSet ? { statefulSet } : {}),
    timeoutMs: options.timing.timeoutMs,
    pollIntervalMs: options.timing.pollIntervalMs,
    progress,
    eventLine: (event) => migrationEventLine(event, session.io.progress || session.io.verbosity > 0),
  });
}

export { migrationsDocument, migrationsText } from '../shared/migration/render.js';
