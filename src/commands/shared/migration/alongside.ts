// `--migrate` on drain and scale: check the receivers can absorb the victims' clients (exit 3
// before anything changes), then move each victim's clients as soon as its drain is confirmed,
// while the stable-zero wait goes on.
import type { Session } from '../../../cli/session.js';
import type { MigrateFlagValues } from '../../../cli/migrate-flags.js';
import type { DrainEvent } from '../../../ops/drain/events.js';
import { RefusedError } from '../../../ops/errors.js';
import { migrateSource, type MigrateSourceEvent } from '../../../ops/migrate/migrate-source.js';
import { preflightMigration } from '../../../ops/migrate/preflight.js';
import { MigrationQueue, type QueuedMigration } from '../../../ops/migrate/queue.js';
import type { Fleet, GatewayAdmin, Instance, StatefulSetInfo, Workloads } from '../../../ops/ports/index.js';
import type { Progress } from '../../../ui/progress.js';
import { planLines } from './render.js';
import { destinationFor, maxConnectionsOf, newRunId } from './wiring.js';

export interface AlongsideOptions {
  flags: MigrateFlagValues;
  sources: readonly Instance[];
  /** Every instance that may receive (the sources are left out). Empty with --local: the load balancer decides. */
  receivers: readonly Instance[];
  fleet?: Fleet;
  gateway: GatewayAdmin;
  workloads?: Workloads;
  statefulSet?: StatefulSetInfo;
  timeoutMs: number;
  pollIntervalMs: number;
  progress: Progress;
  eventLine(event: MigrateSourceEvent): string | undefined;
}

export interface Alongside {
  /** Feed every drain event here: a confirmed drain starts that source's migration. */
  onDrainEvent(event: DrainEvent): void;
  finish(): Promise<QueuedMigration[]>;
}

export async function prepareMigrationAlongside(session: Session, o: AlongsideOptions): Promise<Alongside> {
  const { gateway } = o;
  const { io, factory } = session;
  const maxConnections = maxConnectionsOf(o.flags, o.statefulSet);
  if (o.receivers.length > 0) {
    const plan = await preflightMigration({
      gateway,
      sources: o.sources,
      receivers: o.receivers,
      ...(maxConnections !== undefined ? { maxConnections } : {}),
      ...(o.flags.reconnectUrl === undefined ? { ws: o.flags.ws } : {}),
      pacing: o.flags.pacing,
      window: o.flags.window,
      signal: factory.signal,
    });
    for (const line of planLines(plan)) o.progress.log(line);
    if (plan.verdict === 'refused') throw new RefusedError(`nothing drained or moved: ${plan.refusal}`, 'add receivers or room (--max-connections), or drain without --migrate');
  }
  const leaving = new Set(o.sources.map((s) => s.name));
  const queue = new MigrationQueue(
    async (source, signal) =>
      migrateSource({
        gateway,
        clock: factory.clock,
        signal,
        source,
        receivers: o.receivers,
        leaving,
        ...(o.fleet ? { fleet: o.fleet } : {}),
        ...(maxConnections !== undefined ? { maxConnections } : {}),
        destination: await destinationFor(session, o.flags, source, {
          ...(o.statefulSet ? { statefulSet: o.statefulSet } : {}),
          ...(o.workloads ? { workloads: o.workloads } : {}),
          rotationTimeoutMs: o.flags.rotationTimeoutMs,
          pollIntervalMs: o.pollIntervalMs,
        }),
        settings: { pacing: o.flags.pacing, window: o.flags.window, timeoutMs: o.timeoutMs },
        runId: newRunId(source.name),
        onEvent: (event) => {
          const line = o.eventLine(event);
          if (line && !(event.type === 'plan' && io.verbosity === 0 && o.receivers.length > 0)) o.progress.log(line);
        },
      }),
    factory.signal,
    (source, message) => o.progress.log(`warning: ${source}: clients not moved (${message}); waiting for them to leave on their own`),
  );
  const bySource = new Map(o.sources.map((s) => [s.name, s]));
  return {
    onDrainEvent(event) {
      if (event.type === 'draining-confirmed' && bySource.has(event.instance)) queue.enqueue(bySource.get(event.instance)!);
    },
    finish: () => queue.finish(),
  };
}
