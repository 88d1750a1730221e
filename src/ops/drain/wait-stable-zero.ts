// Step 3–4 of a drain: poll the count until it is a stable zero (RELIABILITY rule 2), watching the
// instance's identity when a fleet is given. One sequential loop per instance: a poll starts
// only after the previous one ended (rule 4, no overlapping polls).
//
// Draining is observed on every poll, not only once: a file-fleet gateway has no uid or restart
// count, so a gateway that stops saying draining (it restarted, or someone undrained it) or whose
// boot id changed is reported, its drain re-asserted and the run ends non-zero. A poll where
// /health does not say draining never counts towards the stable zero.

import type { Count, Health, Instance } from '../ports/index.js';
import { sleepWithinDeadline, type DrainContext } from './context.js';
import { throwIfFatalRead } from './fatal.js';
import { checkIdentity } from './identity.js';
import { requestDrain } from './confirm-draining.js';
import { isStableZero, nextZeroStreak } from './stable-zero.js';
import { finish, recordCount, type InstanceTracker } from './tracker.js';

export async function waitForStableZero(t: InstanceTracker, ctx: DrainContext): Promise<void> {
  for (;;) {
    if (ctx.deadline.expired()) return;
    const [reported, health, identity] = await Promise.all([
      ctx.gateway.connections(t.instance, ctx.signal),
      ctx.gateway.health(t.instance, ctx.signal),
      ctx.fleet ? checkIdentity(ctx.fleet, t.instance, ctx.signal) : undefined,
    ]);
    if (!reported.known) throwIfFatalRead(t.instance, 'connection count', reported);
    throwIfFatalRead(t.instance, '/health', health);

    if (identity?.kind === 'gone') return finishGone(t, ctx);
    if (identity?.kind === 'restarted') return finishRestarted(t, identity, ctx);
    const bootChange = bootIdChange(t, reported);
    if (bootChange) return finishRestarted(t, { current: t.instance, change: bootChange }, ctx);
    if (health.status === 'ok') return finishStoppedDraining(t, ctx);
    const count: Count =
      identity?.kind === 'unreadable'
        ? { known: false, reason: `could not re-read the instance: ${identity.reason}` }
        : health.status !== 'draining'
          ? { known: false, reason: `/health did not say draining (${describeHealth(health)})` }
          : reported;

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
    t.droppedConnections = t.lastKnownCount;
    finish(t, 'gone', `the instance disappeared while holding ${describeCount(t.lastKnownCount)}: they were dropped`);
  }
  ctx.polled(t);
}

/** The first boot id seen is the baseline; a different one later means another process now. */
function bootIdChange(t: InstanceTracker, count: Count): string | undefined {
  if (count.bootId === undefined) return undefined;
  if (t.bootId === undefined) {
    t.bootId = count.bootId;
    return undefined;
  }
  return count.bootId === t.bootId ? undefined : `boot id ${t.bootId} → ${count.bootId}`;
}

function describeHealth(health: Health): string {
  return health.reason ? `${health.status}: ${health.reason}` : health.status;
}

/**
 * /health says ok again with no other sign of a restart: the gateway restarted without telling
 * (no boot id, no uid), or someone undrained it. Either way this is not a drain any more.
 */
async function finishStoppedDraining(t: InstanceTracker, ctx: DrainContext): Promise<void> {
  t.dropped = true;
  const held = t.lastKnownCount;
  t.droppedConnections = held;
  ctx.emit({ type: 'draining-lost', instance: t.instance.name, connectionsAtRisk: held });
  let detail =
    `stopped saying draining (it restarted, or someone undrained it): ` +
    `${held === null ? 'its connections' : describeCount(held)} may have been dropped`;
  const failure = await requestDrain(t, ctx);
  detail += failure ? `; re-asserting the drain failed (${failure})` : '; the drain was re-asserted';
  finish(t, 'stopped-draining', detail);
  ctx.polled(t);
}

/** A restart dropped whatever it held; if the new process is not draining, drain it again once. */
async function finishRestarted(t: InstanceTracker, identity: { current: Instance; change: string }, ctx: DrainContext): Promise<void> {
  t.dropped = true;
  const dropped = t.lastKnownCount;
  t.droppedConnections = dropped;
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
