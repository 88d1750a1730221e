// `drain POD…` on Kubernetes: preflight (access, not the last Ready pod), then the gateway drain of
// ops/drain (stable zero, confirm draining, undrain on abort) while watching the EndpointSlices,
// then `--then none|evict|delete`. A pod already terminating is reported with its grace end and
// left to its own shutdown.

import { drainInstances, undrainAfter, type DrainResult } from '../drain/index.js';
import { ConduitError, RefusedError } from '../errors.js';
import type { Clock, Fleet, GatewayAdmin, Instance, Workloads } from '../ports/index.js';
import { confirmAtZero, describeProblem } from '../removal/index.js';
import { Deadline } from '../../util/deadline.js';
import { watchEndpointLeaves } from './endpoints.js';
import type { KubeDrainEvent, KubeDrainEventHandler } from './events.js';
import { checkAccessForDrain, checkNotLastReady, statefulSetNameOf } from './preflight.js';
import { removePod, type RemoveContext } from './remove.js';
import type { KubeDrainOutcome, KubeDrainResult, PodRemovalReport } from './result.js';
import type { KubeDrainSettings, ThenAction } from './settings.js';

export interface KubeDrainOptions {
  workloads: Workloads;
  fleet: Fleet;
  gateway: GatewayAdmin;
  clock: Clock;
  signal: AbortSignal;
  pods: Instance[];
  then: ThenAction;
  allowLast: boolean;
  settings: KubeDrainSettings;
  onEvent?: KubeDrainEventHandler;
  /** Jitter source (tests pass a fixed one). */
  random?: () => number;
}

export async function drainPods(o: KubeDrainOptions): Promise<KubeDrainResult> {
  const emit = (event: KubeDrainEvent) => o.onEvent?.(event);
  const startedAt = o.clock.now();
  const deadline = new Deadline(o.clock, o.settings.timeoutMs);
  const finish = (outcome: KubeDrainOutcome, message: string, extra: Partial<KubeDrainResult> = {}): KubeDrainResult => ({
    outcome,
    message,
    removals: [],
    ...extra,
    elapsedMs: o.clock.now() - startedAt,
  });

  const refusals = [...(await checkAccessForDrain(o.workloads, o.then, o.signal)), ...(await checkNotLastReady(o.workloads, o.pods, o.allowLast, o.signal))];
  if (refusals.length) {
    const hint = refusals.find((r) => r.hint)?.hint;
    return finish('refused', `refused, nothing changed: ${refusals.map((r) => r.message).join('; ')}`, hint ? { hint } : {});
  }

  const terminating = o.pods.filter((p) => p.deletionTimestamp);
  for (const pod of terminating) emit({ type: 'already-terminating', instance: pod.name, graceEndsAt: pod.deletionTimestamp! });
  const toDrain = o.pods.filter((p) => !p.deletionTimestamp);

  const endpointWatches = new AbortController();
  const stopWatches = () => endpointWatches.abort();
  o.signal.addEventListener('abort', stopWatches, { once: true });
  const watches: Promise<unknown>[] = [];
  let drain: DrainResult | undefined;
  try {
    drain = await drainInstances({
      instances: toDrain,
      gateway: o.gateway,
      clock: o.clock,
      fleet: o.fleet,
      signal: o.signal,
      settings: o.settings,
      onEvent: (event) => {
        emit({ type: 'drain', event });
        if (event.type === 'draining-confirmed') {
          const pod = toDrain.find((p) => p.name === event.instance);
          const serviceName = pod && statefulSetNameOf(pod);
          if (pod && serviceName) watches.push(watchEndpoints(o, pod, deadline, endpointWatches.signal, emit).catch(() => undefined));
        }
      },
    });
  } finally {
    if (drain?.outcome !== 'drained') stopWatches();
    o.signal.removeEventListener('abort', stopWatches);
  }
  const left = { drain, removals: terminating.map((p) => ({ name: p.name, removal: 'terminating' as const, detail: `already terminating; grace ends ${p.deletionTimestamp}` })) };
  switch (drain.outcome) {
    case 'drained':
      break;
    case 'timeout':
      return finish('timeout', 'not every pod reached a stable zero before the deadline', { ...left, hint: 'they stay draining (safe); re-run to keep waiting' });
    case 'interrupted':
      return finish('interrupted', 'interrupted while draining', { ...left, hint: 're-run the same command to resume' });
    case 'not-confirmed':
      return finish('refused', 'a gateway accepted the drain but /health never reported "draining"', left);
    case 'restarted':
      return finish('restarted', 'a gateway restarted while draining: its connections were dropped', left);
  }
  await Promise.all(watches);
  if (o.then === 'none') return finish('drained', `drained ${toDrain.map((p) => p.name).join(', ') || 'nothing'}`, left);
  return removeDrained(o, toDrain, drain, deadline, emit, finish, left.removals);
}

async function watchEndpoints(o: KubeDrainOptions, pod: Instance, deadline: Deadline, signal: AbortSignal, emit: (e: KubeDrainEvent) => void) {
  const statefulSet = await o.workloads.getStatefulSet(statefulSetNameOf(pod)!, signal);
  if (!statefulSet?.serviceName) return;
  await watchEndpointLeaves(pod, {
    workloads: o.workloads,
    clock: o.clock,
    serviceName: statefulSet.serviceName,
    timeoutMs: o.settings.endpointTimeoutMs,
    pollIntervalMs: o.settings.pollIntervalMs,
    deadline,
    signal,
    emit,
  });
}

type Finish = (outcome: KubeDrainOutcome, message: string, extra?: Partial<KubeDrainResult>) => KubeDrainResult;

async function removeDrained(
  o: KubeDrainOptions,
  pods: Instance[],
  drain: DrainResult,
  deadline: Deadline,
  emit: (e: KubeDrainEvent) => void,
  finish: Finish,
  already: PodRemovalReport[],
): Promise<KubeDrainResult> {
  const problems = await confirmAtZero({ fleet: o.fleet, gateway: o.gateway, drained: pods, signal: o.signal });
  if (problems.length) {
    const removals = [...already, ...problems.map((p) => ({ name: p.instance, removal: 'not-zero' as const, detail: describeProblem(p) }))];
    return finish('timeout', `not removed: ${problems.map(describeProblem).join('; ')}`, { drain, removals, hint: 'they stay draining; re-run to wait again' });
  }

  const run = new AbortController();
  const onAbort = () => run.abort(o.signal.reason);
  o.signal.addEventListener('abort', onAbort, { once: true });
  const ctx: RemoveContext = { workloads: o.workloads, fleet: o.fleet, clock: o.clock, settings: o.settings, deadline, signal: run.signal, random: o.random ?? Math.random, emit };
  let failure: unknown;
  const removals = await Promise.all(
    pods.map(async (pod): Promise<PodRemovalReport> => {
      try {
        return await removePod(pod, o.then as 'evict' | 'delete', ctx);
      } catch (error) {
        if (!run.signal.aborted) {
          failure = error;
          run.abort(error); // fail fast: the other evictions stop too
        }
        return { name: pod.name, removal: 'failed', detail: error instanceof Error ? error.message : String(error) };
      }
    }),
  ).finally(() => o.signal.removeEventListener('abort', onAbort));

  const all = [...already, ...removals];
  if (o.signal.aborted) {
    const notRemoved = pods.filter((p) => !removals.some((r) => r.name === p.name && ['evicted', 'deleted', 'gone'].includes(r.removal)));
    const undone = await undrainAfter(drain, notRemoved, { gateway: o.gateway, clock: o.clock, emit: (event) => emit({ type: 'drain', event }) }, 'interrupted');
    return finish('interrupted', 'interrupted while removing the drained pods', { drain: undone, removals: all, hint: 're-run the same command to resume' });
  }
  if (failure !== undefined) {
    const message = failure instanceof ConduitError ? failure.message : String(failure);
    if (failure instanceof RefusedError || !(failure instanceof ConduitError)) {
      return finish('refused', `removal failed, nothing deleted instead: ${message}`, { drain, removals: all, hint: 'the pods stay drained (not serving); fix the cause (e.g. two PodDisruptionBudgets select the pod) and re-run' });
    }
    throw failure;
  }
  if (removals.every((r) => ['evicted', 'deleted', 'gone'].includes(r.removal))) {
    return finish('removed', `drained and removed ${removals.map((r) => r.name).join(', ')}`, { drain, removals: all });
  }
  return finish('timeout', `not every drained pod was removed before the deadline`, { drain, removals: all, hint: 'the pods stay drained (not serving); re-run to retry the removal' });
}
