// `drain POD…` on Kubernetes: the gateway drain plus the cluster's view — the last Ready pod,
// EndpointSlices, and `--then evict|delete`.
import type { Session } from '../../cli/session.js';
import { InterruptedError, RefusedError, TimeoutError, VerificationError } from '../../ops/errors.js';
import { defaultKubeDrainSettings, drainPods, type KubeDrainEvent, type KubeDrainResult } from '../../ops/kube-drain/index.js';
import { createProgress, followEvents } from '../../ui/progress.js';
import { note } from '../../ui/notes.js';
import { writeReport } from '../../ui/report.js';
import { formatDuration } from '../../util/duration.js';
import type { DrainCommandOptions } from './index.js';
import { drainSettingsOf } from './settings.js';
import { migrationsAlongside, migrationsDocument, migrationsText } from './migrations.js';
import { statefulSetNameOf } from '../../ops/kube-drain/preflight.js';
import type { StatefulSetInfo } from '../../ops/ports.js';
import { describeLeftState, drainDocument, eventLine, progressText, renderDrainResult } from './render.js';

export async function runKubeDrain(session: Session, options: DrainCommandOptions): Promise<void> {
  const { io, factory } = session;
  const workloads = await session.workloads();
  const fleet = await session.fleet();
  const pods = await fleet.resolve(options.target!, factory.signal);
  const owner = options.migrate && pods[0] ? statefulSetNameOf(pods[0]) : undefined;
  const statefulSet: StatefulSetInfo | undefined = owner ? await workloads.getStatefulSet(owner, factory.signal) : undefined;
  if (statefulSet) await session.useAnnotations(statefulSet);
  const gateway = await session.gateway();
  const source = fleet.describe().source;

  note(io, `Draining ${pods.map((p) => p.name).join(', ')} (${source}); then ${options.then}; deadline ${formatDuration(options.timeoutMs)}, min drain time ${formatDuration(options.minDrainMs)}`);
  const progress = createProgress(io, 'requesting drain…');
  const alongside = await migrationsAlongside(session, options, pods, fleet, progress, statefulSet);
  const follow = followEvents(progress, { line: kubeEventLine, status: (event: KubeDrainEvent) => (event.type === 'drain' ? progressText(event.event) : undefined) });
  let result: KubeDrainResult;
  let migrations: Awaited<ReturnType<NonNullable<typeof alongside>['finish']>> = [];
  try {
    result = await drainPods({
      workloads,
      fleet,
      gateway,
      clock: factory.clock,
      signal: factory.signal,
      pods,
      then: options.then,
      allowLast: options.allowLast,
      settings: { ...defaultKubeDrainSettings, ...drainSettingsOf(options), evictionRetryMs: options.evictionRetryMs },
      onEvent: (event) => {
        if (event.type === 'drain') alongside?.onDrainEvent(event.event);
        follow(event);
      },
    });
  } finally {
    migrations = (await alongside?.finish()) ?? [];
    progress.stop();
  }

  const removals = result.removals.map((r) => ({ name: r.name, removal: r.removal, detail: r.detail ?? null }));
  writeReport(
    io,
    { ...(result.drain ? drainDocument(source, result.drain) : { kind: 'DrainReport', source, instances: [] }), outcome: result.outcome, message: result.message, then: options.then, removals, ...migrationsDocument(migrations) },
    (wide) => {
      const table = result.drain ? renderDrainResult(result.drain, { wide, color: io.color }) : '';
      const removed = removals.map((r) => `${r.name}: ${r.removal}${r.detail ? ` (${r.detail})` : ''}`).join('\n');
      return [migrationsText(migrations).trimEnd(), table.trimEnd(), removed, result.message].filter(Boolean).join('\n\n');
    },
  );
  const left = result.drain ? `${result.message}: ${describeLeftState(result.drain)}` : result.message;
  switch (result.outcome) {
    case 'drained':
    case 'removed':
      return;
    case 'refused':
      throw new RefusedError(left, result.hint);
    case 'timeout':
      throw new TimeoutError(`timed out after ${formatDuration(result.elapsedMs)}: ${left}`, result.hint);
    case 'interrupted':
      throw new InterruptedError(`interrupted: ${left}`, result.hint);
    case 'restarted':
      throw new VerificationError(left, result.hint);
  }
}

function kubeEventLine(event: KubeDrainEvent): string | undefined {
  switch (event.type) {
    case 'drain':
      return eventLine(event.event) ?? (event.event.type === 'draining-confirmed' ? `${event.event.instance}: draining` : event.event.type === 'stable-zero' ? `${event.event.instance}: stable zero` : undefined);
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
