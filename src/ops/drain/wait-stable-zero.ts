// Step 3–4 of a drain: poll the count until it is a stable zero (RELIABILITY rule 2), watching the
// instance's identity when a fleet is given. One sequential loop per instance: a poll starts
// only after the previous one ended (rule 4, no overlapping polls).

import type { Count } from '../ports/index.js';
import { sleepWithinDeadline, type DrainContext } from './context.js';
import { throwIfFatalRead } from './fatal.js';
import { checkIdentity, type IdentityCheck } from './identity.js';
import { requestDrain } from './confirm-draining.js';
import { isStableZero, nextZeroStreak } from './stable-zero.js';
import { finish, recordCount, type InstanceTracker } from './tracker.js';

export async function waitForStableZero(t: InstanceTracker, ctx: DrainContext): Promise<void> {
  for (;;) {
    if (ctx.deadline.expired()) return;
    const [reported, identity] = await Promise.all([
      ctx.gateway.connections(t.instance, ctx.signal),
      ctx.fleet ? checkIdentity(ctx.fleet, t.instance, ctx.signal) : undefined,
    ]);
    if (!reported.known) throwIfFatalRead(t.instance, 'connection count', reported);

    if (identity?.kind === 'gone') return finishGone(t, ctx);
    if (identity?.kind === 'restarted') return finishRestarted(t, identity, ctx);
    const count: Count =
      identity?.kind === 'unreadable' ? { known: false, reason: `could not re-read the instance: ${identity.reason}` } : reported;

    recordCount(t, count);
    t.zeroStreak = nextZeroStreak(t.zeroStreak, count);
    const sinceDrainingMs = ctx.clock.now() - (t.drainingSince ?? ctx.clock.now());
    ctx.emit({ type: 'poll', instance: t.instance.name, count, zeroStreak: t.zeroStreak, sinceDrainingMs });

    if (isStableZero(t.zeroStreak, sinceDrainingMs, ctx.settings)) {
      finish(t, 'drained');
      ctx.emit({ type: 'stable-zero', instance: t.instance.name });
      ctx.polled(t);
      return;
    }
    ctx.polled(t);
    await sleepWithinDeadline(ctx, ctx.settings.pollIntervalMs);
  }
}

/** Gone (NotFound): fine for a drain only when its last known count was 0. */
function finishGone(t: InstanceTracker, ctx: DrainContext): void {
  if (t.lastKnownCount === 0) {
    finish(t, 'gone', 'the instance is gone; its last known count was 0');
  } else {
    t.dropped = true;
    finish(t, 'gone', `the instance disappeared while holding ${describeCount(t.lastKnownCount)}: they were dropped`);
  }
  ctx.polled(t);
}

/** A restart dropped whatever it held; if the new process is not draining, drain it again once. */
async function finishRestarted(t: InstanceTracker, identity: Extract<IdentityCheck, { kind: 'restarted' }>, ctx: DrainContext): Promise<void> {
  t.dropped = true;
  const dropped = t.lastKnownCount;
  ctx.emit({ type: 'restart-detected', instance: t.instance.name, droppedConnections: dropped });
  let detail = `${describeCount(dropped)} dropped by a restart (${identity.change})`;

  const health = await ctx.gateway.health(identity.current, ctx.signal);
  throwIfFatalRead(identity.current, '/health', health);
  if (health.status === 'ok') {
    const failure = await requestDrain(t, ctx, identity.current);
    detail += failure ? `; re-asserting the drain failed (${failure})` : '; it came back not draining, so the drain was re-asserted';
  }
  finish(t, 'restarted', detail);
  ctx.polled(t);
}

function describeCount(count: number | null): string {
  if (count === null) return 'an unknown number of connections';
  return `${count} connection${count === 1 ? '' : 's'}`;
}
