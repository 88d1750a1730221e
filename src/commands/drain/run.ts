// `drain` on plain instances (--fleet, --instances, --local); Kubernetes pods go to kube-run.ts.
import type { Session } from '../../cli/session.js';
import { drainInstances, type DrainEvent } from '../../ops/drain/index.js';
import type { Fleet, GatewayAdmin, Instance } from '../../ops/ports/index.js';
import { debug, note } from '../../ui/notes.js';
import { formatDuration } from '../../util/duration.js';
import { drainEventLine, drainProgressText, failureOf, printPlan, runOp } from '../shared/index.js';
import type { DrainCommandOptions } from './index.js';
import { drainDocument, drainFailureText, renderDrainResult } from './render.js';
import { migrationsAlongside, migrationsDocument, migrationsText, type QueuedMigration } from './migrations.js';

const LOCAL_NAME = 'localhost';

interface Picked {
  instances: Instance[];
  fleet?: Fleet;
  gateway: GatewayAdmin;
  source: string;
}

async function pickInstances(session: Session, options: DrainCommandOptions): Promise<Picked> {
  if (options.local) {
    const url = new URL(options.localAdminUrl);
    const gateway = await session.localGateway();
    const local = { name: options.localName ?? LOCAL_NAME, address: url.hostname, adminUrl: options.localAdminUrl };
    // The name the gateway gives itself is the one a load balancer's answers carry: a rotation check
    // compares them (a read that fails leaves "localhost"; the drain then reports the failure).
    if (options.localName === undefined) local.name = (await gateway.health(local, session.factory.signal).catch(() => undefined))?.instance ?? LOCAL_NAME;
    return { instances: [local], gateway, source: `local gateway ${options.localAdminUrl}` };
  }
  const { fleet, gateway } = await session.connect(options.target);
  return { instances: await fleet.resolve(options.target!, session.factory.signal), fleet, gateway, source: fleet.describe().source };
}

export async function runDrain(session: Session, options: DrainCommandOptions): Promise<void> {
  if (options.dryRun && !options.local) {
    return printPlan(session, options.target!, {
      kind: 'DrainPlan',
      action: (health) => (health === 'draining' ? 'nothing (already draining), wait for a stable zero' : 'drain, then wait for a stable zero'),
    });
  }
  if (!options.local && session.onKubernetes) {
    const { runKubeDrain } = await import('./kube-run.js');
    return runKubeDrain(session, options);
  }
  const { io, factory } = session;
  const { instances, fleet, gateway, source } = await pickInstances(session, options);
  const { timing } = options;

  note(io, `Draining ${instances.map((i) => i.name).join(', ')} (${source}); deadline ${formatDuration(timing.timeoutMs)}, min drain time ${formatDuration(timing.minDrainMs)}`);
  for (const instance of instances) debug(io, 1, `instance ${instance.name}: ${instance.adminUrl ?? instance.address ?? 'no address'}${instance.uid ? ` uid ${instance.uid}` : ''}`);
  debug(io, 1, `poll every ${formatDuration(timing.pollIntervalMs)}, stable zero after ${timing.stableZeroPolls} zero polls and ${formatDuration(timing.minDrainMs)} draining`);
  let migrations: QueuedMigration[] = [];
  await runOp(io, {
    starting: 'requesting drain…',
    events: { line: (event: DrainEvent) => drainEventLine(event, io.verbosity), status: drainProgressText },
    call: async (onEvent, progress) => {
      const alongside = await migrationsAlongside(session, options, instances, { ...(fleet ? { fleet } : {}), gateway }, progress);
      try {
        return await drainInstances({
          instances,
          gateway,
          clock: factory.clock,
          fleet,
          signal: factory.signal,
          settings: timing,
          onEvent: (event) => {
            alongside?.onDrainEvent(event);
            onEvent(event);
          },
        });
      } finally {
        migrations = (await alongside?.finish()) ?? [];
      }
    },
    document: (result) => ({ ...drainDocument(source, result), ...migrationsDocument(migrations) }),
    render: (result, wide) => `${migrationsText(migrations)}${renderDrainResult(result, { wide, color: io.color })}`,
    failure: (result) => {
      const { message, hint } = drainFailureText(result);
      return failureOf(result.outcome, message, hint);
    },
  });
}
