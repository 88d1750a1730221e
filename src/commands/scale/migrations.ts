// scale --migrate: the victims (ordinals ≥ --replicas) move their clients to the survivors as
// soon as each victim's drain is confirmed; a victim is never a receiver.
import type { Session } from '../../cli/session.js';
import type { Fleet, GatewayAdmin, StatefulSetInfo, Workloads } from '../../ops/ports/index.js';
import type { Progress } from '../../ui/progress.js';
import { prepareMigrationAlongside, type Alongside } from '../shared/migration/alongside.js';
import { migrationEventLine } from '../shared/migration/render.js';
import type { ScaleCommandOptions } from './index.js';

export { migrationsDocument, migrationsText } from '../shared/migration/render.js';
export type { QueuedMigration } from '../../ops/migrate/queue.js';

/** The StatefulSet is the one the Session read for this command (read once). */
export async function migrationsAlongside(
  session: Session,
  options: ScaleCommandOptions,
  world: { workloads: Workloads; fleet: Fleet; gateway: GatewayAdmin; statefulSet?: StatefulSetInfo },
  progress: Progress,
): Promise<Alongside | undefined> {
  if (!options.migrate) return undefined;
  const { workloads, fleet, gateway, statefulSet } = world;
  if (!statefulSet || options.replicas >= statefulSet.replicas) return undefined;
  const pods = await fleet.resolve({ kind: 'workload', workloadKind: 'statefulset', name: statefulSet.name }, session.factory.signal);
  const victims = pods.filter((p) => p.ordinal !== undefined && p.ordinal >= options.replicas && !p.deletionTimestamp);
  const survivors = pods.filter((p) => p.ordinal !== undefined && p.ordinal < options.replicas);
  return prepareMigrationAlongside(session, {
    flags: options.capacityPerPod !== undefined && options.migrate.maxConnections === undefined ? { ...options.migrate, maxConnections: options.capacityPerPod } : options.migrate,
    sources: victims,
    receivers: survivors,
    fleet,
    gateway,
    workloads,
    statefulSet,
    timeoutMs: options.timing.timeoutMs,
    pollIntervalMs: options.timing.pollIntervalMs,
    progress,
    eventLine: (event) => migrationEventLine(event, session.io.progress || session.io.verbosity > 0),
  });
}
