// `drain POD…` on Kubernetes: the gateway drain plus the cluster's view — the last Ready pod,
// EndpointSlices, and `--then evict|delete`.
import type { Session } from '../../cli/session.js';
import { defaultKubeDrainSettings, drainPods, type KubeDrainEvent, type KubeDrainResult } from '../../ops/kube-drain/index.js';
import { note } from '../../ui/notes.js';
import { formatDuration } from '../../util/duration.js';
import { drainProgressText, drainStepLine, failureOf, runOp } from '../shared/index.js';
import type { DrainCommandOptions } from './index.js';
import { describeLeftState, drainDocument, renderDrainResult } from './render.js';
import { migrationsAlongside, migrationsDocument, migrationsText, type QueuedMigration } from './migrations.js';
import { statefulSetNameOf } from '../../ops/kube-drain/preflight.js';
import type { Fleet, Instance } from '../../ops/ports/index.js';

export async function runKubeDrain(session: Session, options: DrainCommandOptions): Promise<void> {
  const { io, factory } = session;
  // With --migrate the pods' StatefulSet declares the contract: resolve the pods first, read it once.
  let resolved: Instance[] | undefined;
  const resolvePods = async (fleet: Fleet) => (resolved ??= await fleet.resolve(options.target!, factory.signal));
  const { workloads, fleet, gateway, statefulSet } = await session.connectKubernetes(options.target, {
    async workload(kube) {
      const owner = options.migrate ? statefulSetNameOf((await resolvePods(kube.fleet))[0] ?? { name: '' }) : undefined;
      return owner ? kube.workloads.getStatefulSet(owner, factory.signal) : undefined;
    },
  });
  const pods = await resolvePods(fleet);
  const source = fleet.describe().source;
  const { timing } = options;

  note(io, `Draining ${pods.map((p) => p.name).join(', ')} (${source}); then ${options.then}; deadline ${formatDuration(timing.timeoutMs)}, min drain time ${formatDuration(timing.minDrainMs)}`);
  let migrations: QueuedMigration[] = [];
  await runOp(io, {
    starting: 'requesting drain…',
    events: { line: kubeEventLine, status: (event: KubeDrainEvent) => (event.type === 'drain' ? drainProgressText(event.event) : undefined) },
    call: async (onEvent, progress) => {
      const alongside = await migrationsAlongside(session, options, pods, { fleet, gateway, workloads, ...(statefulSet ? { statefulSet } : {}) }, progress);
      try {
        return await drainPods({
        workloads,
        fleet,
        gateway,
        clock: factory.clock,
        signal: factory.signal,
        pods,
        then: options.then,
        allowLast: options.allowLast,
        settings: { ...defaultKubeDrainSettings, ...timing, evictionRetryMs: options.evictionRetryMs },
        onEvent: (event) => {
          if (event.type === 'drain') alongside?.onDrainEvent(event.event);
          onEvent(event);
        },
      });
      } finally {
        migrations = (await alongside?.finish()) ?? [];
      }
    },
    document: (result) => ({
      ...(result.drain ? drainDocument(source, result.drain) : { kind: 'DrainReport', source, instances: [] }),
      outcome: result.outcome,
      message: result.message,
      then: options.then,
      removals: removalRows(result),
      ...migrationsDocument(migrations),
    }),
    render: (result, wide) => {
      const table = result.drain ? renderDrainResult(result.drain, { wide, color: io.color }) : '';
      const removed = removalRows(result).map((r) => `${r.name}: ${r.removal}${r.detail ? ` (${r.detail})` : ''}`).join('\n');
      return [migrationsText(migrations).trimEnd(), table.trimEnd(), removed, result.message].filter(Boolean).join('\n\n');
    },
    failure: (result) => {
      const left = result.drain ? `${result.message}: ${describeLeftState(result.drain)}` : result.message;
      const message = result.outcome === 'timeout' ? `timed out after ${formatDuration(result.elapsedMs)}: ${left}` : result.outcome === 'interrupted' ? `interrupted: ${left}` : left;
      return failureOf(result.outcome, message, result.hint);
    },
  });
}

function removalRows(result: KubeDrainResult) {
  return result.removals.map((r) => ({ name: r.name, removal: r.removal, detail: r.detail ?? null }));
}

function kubeEventLine(event: KubeDrainEvent): string | undefined {
  switch (event.type) {
    case 'drain':
      return drainStepLine(event.event);
    case 'already-terminating':
      return `${event.instance}: already terminating (grace ends ${event.graceEndsAt}); not drained again, not counted as capacity`;
    case 'endpoint':
      return event.settled
        ? `${event.instance}: EndpointSlice shows it ${event.readiness} after ${formatDuration(event.waitedMs)}`
        : `warning: ${event.instance}: EndpointSlice still shows it ${event.readiness} after ${formatDuration(event.waitedMs)}; new connections may still arrive`;
    case 'evict-attempt':
      return `${event.instance}: evicting (attempt ${event.attempt})`;
    case 'evict-blocked':
      return `${event.instance}: eviction refused by PodDisruptionBudget ${event.pdb ?? '(unnamed)'}${event.healthy !== undefined ? ` (healthy ${event.healthy}, needs ${event.needed})` : ''}; retrying in ${formatDuration(event.retryInMs)}`;
    case 'evict-throttled':
      return `${event.instance}: eviction throttled (${event.message}); retrying in ${formatDuration(event.retryInMs)}`;
    case 'evicted':
      return `${event.instance}: evicted`;
    case 'deleted':
      return `${event.instance}: deleted (uid precondition)`;
    case 'gone':
      return `${event.instance}: gone${event.how === 'replaced' ? ' (the name now belongs to a new pod)' : ''}`;
  }
}
