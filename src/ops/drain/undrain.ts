// Undo what this run drained (RELIABILITY rule 8). The run's own signal is already aborted by the
// time this runs, so the calls get a fresh signal that the injected clock aborts after a short
// timeout: an unreachable gateway cannot hold the process after Ctrl-C.

import { formatDuration } from '../../util/duration.js';
import type { Clock, GatewayAdmin, Instance } from '../ports/index.js';
import type { DrainEvent } from './events.js';
import type { DrainResult } from './result.js';
import { DEFAULT_UNDRAIN_TIMEOUT_MS } from './settings.js';
import { newTracker, type InstanceTracker } from './tracker.js';

export interface UndrainContext {
  gateway: GatewayAdmin;
  clock: Clock;
  timeoutMs: number;
  emit(event: DrainEvent): void;
}

/** Undrain every instance this run drained (and that still exists); never throws. */
export async function undrainDrainedByThisRun(trackers: readonly InstanceTracker[], ctx: UndrainContext, why: string): Promise<void> {
  const targets = trackers.filter((t) => t.drainedByThisRun && t.state !== 'gone');
  if (targets.length === 0) return;

  const calls = new AbortController();
  const timer = new AbortController();
  const timeout = ctx.clock.sleep(ctx.timeoutMs, timer.signal).then(
    () => calls.abort(new Error(`undrain timed out after ${formatDuration(ctx.timeoutMs)}`)),
    () => undefined,
  );
  try {
    await Promise.all(
      targets.map(async (t) => {
        try {
          await ctx.gateway.undrain(t.instance, calls.signal);
          t.undrained = true;
          t.detail = t.detail ? `${t.detail}; undrained: ${why}` : `undrained: ${why}`;
          ctx.emit({ type: 'undrained', instance: t.instance.name });
        } catch (error) {
          const reason = calls.signal.aborted ? String((calls.signal.reason as Error).message) : errorMessage(error);
          t.detail = t.detail ? `${t.detail}; undrain failed: ${reason}` : `undrain failed (${reason}): it is still draining`;
          ctx.emit({ type: 'undrain-failed', instance: t.instance.name, reason });
        }
      }),
    );
  } finally {
    timer.abort();
    await timeout;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface UndrainAfterDeps {
  gateway: GatewayAdmin;
  clock: Clock;
  emit(event: DrainEvent): void;
}

/**
 * After a drain finished (a later step was interrupted or abandoned): undrain the instances that
 * drain drained and that are still in `instances`; returns the drain result with what was undone.
 */
export async function undrainAfter(drain: DrainResult, instances: readonly Instance[], deps: UndrainAfterDeps, why: string): Promise<DrainResult> {
  const trackers = drain.instances.flatMap((row) => {
    const instance = instances.find((i) => i.name === row.name);
    if (!instance || !row.drainedByThisRun || row.undrained) return [];
    const tracker = newTracker(instance);
    tracker.drainedByThisRun = true;
    return [tracker];
  });
  await undrainDrainedByThisRun(trackers, { gateway: deps.gateway, clock: deps.clock, timeoutMs: DEFAULT_UNDRAIN_TIMEOUT_MS, emit: deps.emit }, why);
  return {
    ...drain,
    instances: drain.instances.map((row) => {
      const t = trackers.find((tr) => tr.instance.name === row.name);
      return t?.undrained ? { ...row, undrained: true, detail: t.detail } : row;
    }),
  };
}
