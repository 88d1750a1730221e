// scale --migrate: the victims (ordinals ≥ --replicas) move their clients to the survivors as
// soon as each victim's drain is confirmed; a victim is never a receiver.
import type { Session } from '../../cli/session.js';
import type { Fleet, Workloads } from '../../ops/ports/index.js';
import type { Progress } from '../../ui/progress.js';
import { prepareMigrationAlongside, type Alongside } from '../migrate/alongside.js';
import { migrationEventLine } from '../migrate/render.js';
import type { ScaleCommandOptions } from './index.js';

export { migrationsDocument, migrationsText, type QueuedMigration } from '../drain/migrations.js';

export async function migrationsAlongside(session: Session, options: ScaleCommandOptions, workloads: Workloads, fleet: Fleet, progress: Progress): Promise<Alongside | undefined> {
  if (!options.migrate) return undefined;
  const statefulSet = await workloads.getStatefulSet(options.statefulSet, session.factory.signal);
  if (!statefulSet || options.replicas >= statefulSet.replicas) return undefined;
  const pods = await fleet.resolve({ kind: 'workload', workloadKind: 'statefulset', name: statefulSet.name }, session.factory.signal);
  const victims = pods.filter((p) => p.ordinal !== undefined && p.ordinal >= options.replicas && !p.deletionTimestamp);
  const survivors = pods.filter((p) => p.ordinal !== undefined && p.ordinal < options.replicas);
  return prepareMigrationAlongside(session, {
    flags: options.capacityPerPod !== undefined && options.migrate.maxConnections === undefined ? { ...options.migrate, maxConnections: options.capacityPerPod } : options.migrate,
    sources: victims,
    receivers: survivors,
    fleet,
    statefulSet,
    timeoutMs: options.timing.timeoutMs,
    pollIntervalMs: options.timing.pollIntervalMs,
    progress,
    eventLine: (event) => migrationEventLine(event, session.io.progress || session.io.verbosity > 0),
  });
}
