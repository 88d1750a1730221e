// Steps 1–2 of a drain: ask the gateway to drain (unless /health already says draining) and wait
// until /health says `draining` (RELIABILITY rule 3: accepted is not done).

import { formatDuration } from '../../util/duration.js';
import { Deadline } from '../../util/deadline.js';
import { isAbortError } from '../../util/abort.js';
import type { Instance } from '../ports/index.js';
import { sleepWithinDeadline, type DrainContext } from './context.js';
import { isFatalGatewayError, throwIfFatalRead } from './fatal.js';
import { recordCount, type InstanceTracker } from './tracker.js';

export type ConfirmOutcome = 'confirmed' | 'not-confirmed' | 'deadline';

export async function requestAndConfirmDrain(t: InstanceTracker, ctx: DrainContext): Promise<ConfirmOutcome> {
  ctx.signal.throwIfAborted();
  if (await saysDraining(t.instance, ctx)) {
    ctx.emit({ type: 'drain-requested', instance: t.instance.name, alreadyDraining: true });
    markConfirmed(t, ctx);
    return 'confirmed';
  }

  t.drainedByThisRun = true; // from here on the gateway may be draining because of this run
  ctx.emit({ type: 'drain-requested', instance: t.instance.name, alreadyDraining: false });
  let requestFailure: string | undefined;
  try {
    requestFailure = await requestDrain(t, ctx);
  } catch (error) {
    if (isFatalGatewayError(error)) t.drainedByThisRun = false; // refused: nothing was drained
    throw error;
  }
  t.phase = 'confirming';

  const confirmBy = new Deadline(ctx.clock, ctx.settings.confirmTimeoutMs);
  for (;;) {
    if (await saysDraining(t.instance, ctx)) {
      markConfirmed(t, ctx);
      return 'confirmed';
    }
    if (ctx.deadline.expired()) {
      t.detail = `never confirmed: the deadline (${formatDuration(ctx.settings.timeoutMs)}) passed before /health said draining`;
      return 'deadline';
    }
    if (confirmBy.expired()) {
      const waited = formatDuration(ctx.settings.confirmTimeoutMs);
      t.detail = requestFailure
        ? `the drain request failed (${requestFailure}) and /health did not say draining within ${waited}`
        : `the drain request was accepted but /health did not say draining within ${waited}`;
      return 'not-confirmed';
    }
    await sleepWithinDeadline(ctx, Math.min(ctx.settings.pollIntervalMs, confirmBy.remaining()));
    // A request that failed may not have reached the gateway; drain is idempotent, so ask again.
    // One that was accepted is not repeated: the wait for /health is the check.
    if (requestFailure) requestFailure = await requestDrain(t, ctx);
  }
}

function markConfirmed(t: InstanceTracker, ctx: DrainContext): void {
  t.drainingSince = ctx.clock.now();
  t.phase = 'waiting';
  ctx.emit({ type: 'draining-confirmed', instance: t.instance.name });
}

async function saysDraining(instance: Instance, ctx: DrainContext): Promise<boolean> {
  const health = await ctx.gateway.health(instance, ctx.signal);
  throwIfFatalRead(instance, '/health', health);
  return health.status === 'draining';
}

/** POST the drain; undefined when accepted, else why not. 401/403, TLS and aborts propagate. */
export async function requestDrain(t: InstanceTracker, ctx: DrainContext, instance: Instance = t.instance): Promise<string | undefined> {
  try {
    const ack = await ctx.gateway.drain(instance, ctx.signal);
    recordCount(t, ack.active);
    return ack.accepted ? undefined : `HTTP ${ack.httpStatus}`;
  } catch (error) {
    if (isFatalGatewayError(error) || isAbortError(error) || ctx.signal.aborted) throw error;
    return error instanceof Error ? error.message : String(error);
  }
}
