// `drain`: tell each gateway to drain, confirm it, and wait until each holds a stable zero, all
// instances in parallel with one sequential poll loop each. The procedure (RELIABILITY rules
// 1–4 and 8) per instance:
//   1. /health already says draining → nothing to send (a re-run is idempotent); else POST drain.
//   2. Wait until /health says draining (confirmTimeoutMs), else the run is 'not-confirmed'.
//   3. Poll the count until stableZeroPolls known zeros in a row and minDrainMs since draining.
//   4. With a fleet, a new uid or more restarts means a restart dropped its connections.
// A 401/403 or TLS failure stops everything at once; so does an interrupt. Either way what this
// run drained is undrained (an interrupt honours keepDraining), then the error is thrown or
// 'interrupted' returned. At the deadline instances stay draining, which is the safe state.

import { Deadline } from '../../util/deadline.js';
import type { Clock, Fleet, GatewayAdmin, Instance } from '../ports/index.js';
import type { DrainContext } from './context.js';
import { requestAndConfirmDrain } from './confirm-draining.js';
import type { DrainEvent } from './events.js';
import { DrainProgress } from './progress.js';
import type { DrainOutcome, DrainResult } from './result.js';
import { checkDrainSettings, DEFAULT_UNDRAIN_TIMEOUT_MS, type DrainSettings } from './settings.js';
import { finish, finalState, newTracker, toResult, type InstanceTracker } from './tracker.js';
import { undrainDrainedByThisRun } from './undrain.js';
import { waitForStableZero } from './wait-stable-zero.js';

export interface DrainOptions {
  instances: Instance[];
  gateway: GatewayAdmin;
  clock: Clock;
  settings: DrainSettings;
  signal: AbortSignal;
  /** When given, each instance is re-read every poll: a new uid or more restarts = it restarted. */
  fleet?: Fleet;
  onEvent?: (event: DrainEvent) => void;
}

/** Why the run stopped before every loop finished on its own. */
type RunStop = { kind: 'interrupted' } | { kind: 'not-confirmed'; instance: string } | { kind: 'failed'; error: unknown };

export async function drainInstances(o: DrainOptions): Promise<DrainResult> {
  checkDrainSettings(o.settings);
  const emit = (event: DrainEvent) => o.onEvent?.(event);
  const startedAt = o.clock.now();
  const trackers = uniqueByName(o.instances).map(newTracker);

  const run = new AbortController();
  let stop: RunStop | undefined;
  const stopRun = (why: RunStop) => {
    if (stop) return;
    stop = why;
    run.abort(why.kind === 'failed' ? why.error : new Error(`drain stopped: ${why.kind}`));
  };
  const onInterrupt = () => stopRun({ kind: 'interrupted' });
  if (o.signal.aborted) onInterrupt();
  else o.signal.addEventListener('abort', onInterrupt, { once: true });

  const progress = new DrainProgress(trackers, o.clock, startedAt, emit);
  const deadline = new Deadline(o.clock, o.settings.timeoutMs);
  const ctx: DrainContext = {
    // No request outlives the deadline (undoing a drain afterwards uses the unbounded client).
    gateway: o.gateway.within(deadline),
    clock: o.clock,
    settings: o.settings,
    ...(o.fleet ? { fleet: o.fleet } : {}),
    signal: run.signal,
    deadline,
    emit,
    polled: (t) => progress.polled(t),
  };

  try {
    await Promise.all(
      trackers.map(async (t) => {
        try {
          await drainOne(t, ctx, stopRun);
        } catch (error) {
          // Once the run is stopping, the other loops end with its abort: not a failure of theirs.
          if (!run.signal.aborted) stopRun({ kind: 'failed', error });
        }
      }),
    );
  } finally {
    o.signal.removeEventListener('abort', onInterrupt);
  }

  const undrain = (why: string) =>
    undrainDrainedByThisRun(trackers, { gateway: o.gateway, clock: o.clock, emit, timeoutMs: o.settings.undrainTimeoutMs ?? DEFAULT_UNDRAIN_TIMEOUT_MS }, why);
  const result = (outcome: DrainOutcome): DrainResult => ({ outcome, instances: trackers.map(toResult), elapsedMs: o.clock.now() - startedAt });

  switch (stop?.kind) {
    case 'failed':
      await undrain('the drain stopped on an error');
      throw stop.error;
    case 'not-confirmed':
      await undrain(`the drain of ${stop.instance} was not confirmed, so this run's drains cannot be trusted`);
      return result('not-confirmed');
    case 'interrupted':
      if (o.settings.keepDraining) keepDrainingNote(trackers);
      else await undrain('interrupted');
      return result('interrupted');
    case undefined:
      return result(outcomeOf(trackers));
  }
}

async function drainOne(t: InstanceTracker, ctx: DrainContext, stopRun: (why: RunStop) => void): Promise<void> {
  const confirmed = await requestAndConfirmDrain(t, ctx);
  // A deadline that passes before /health said draining is a drain never confirmed (exit 3), not
  // one "still draining": nothing says it ever was.
  if (confirmed === 'not-confirmed' || confirmed === 'deadline') {
    finish(t, 'not-draining');
    stopRun({ kind: 'not-confirmed', instance: t.instance.name });
    return;
  }
  await waitForStableZero(t, ctx);
}

function outcomeOf(trackers: readonly InstanceTracker[]): DrainOutcome {
  if (trackers.some((t) => t.dropped)) return 'restarted';
  const done = (t: InstanceTracker) => ['drained', 'gone'].includes(finalState(t));
  return trackers.every(done) ? 'drained' : 'timeout';
}

function keepDrainingNote(trackers: readonly InstanceTracker[]): void {
  for (const t of trackers) {
    if (t.drainedByThisRun && t.phase !== 'done') t.detail ??= 'left draining, as asked (keepDraining)';
  }
}

function uniqueByName(instances: readonly Instance[]): Instance[] {
  const seen = new Set<string>();
  return instances.filter((i) => !seen.has(i.name) && seen.add(i.name));
}
