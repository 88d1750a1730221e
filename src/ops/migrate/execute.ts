// The effectful half of a migration: plan from a first read (emitted before anything moves), then
// batch by batch — re-read the source and the receivers, choose this batch's targets from fresh
// counts, POST it with a batch id (retried with the same id), wait for the next slot. It slows
// down when a receiver nears its limit and pauses while no receiver can take clients, while they
// are full, or while they lag behind accepting the clients already sent. It stops at zero or
// `limit`, at the deadline (paused too long), or on Ctrl-C — always between batches — and returns
// every batch it sent.

import { Deadline } from '../../util/deadline.js';
import { isAbortError } from '../../util/abort.js';
import type { Clock, Count, Fleet, GatewayAdmin, Instance } from '../ports/index.js';
import { inFlightBeyondWindow, inFlightTo, type SentBatch } from './accept-lag.js';
import { allocate, allocated, targetsFor } from './allocate.js';
import type { MigrationEventHandler, PauseReason } from './events.js';
import { planMigration, type MigrationPlan } from './plan.js';
import { postBatch } from './post-batch.js';
import { readCandidates, type ReceiverSpec } from './read-receivers.js';
import { chooseReceivers, type Receiver, type ReceiverCandidate } from './receivers.js';
import { reconnectRequestOf } from './reconnect-window.js';
import type { BatchReport, MigrationOutcome, MigrationResult } from './result.js';
import { DEFAULT_ACCEPT_GRACE_MS, DEFAULT_NEAR_CAPACITY, DEFAULT_POST_ATTEMPTS, type MigrationSettings } from './settings.js';

export type SendTo = { kind: 'direct' } | { kind: 'url'; url: string };

export interface MigrationOptions {
  gateway: GatewayAdmin;
  clock: Clock;
  signal: AbortSignal;
  source: Instance;
  receivers: readonly ReceiverSpec[];
  sendTo: SendTo;
  /** Re-reads the receivers' readiness and termination before each batch. */
  fleet?: Fleet;
  settings: MigrationSettings;
  /** Batch ids are `<runId>-<n>`: unique per run, the same on a retry. */
  runId: string;
  /** The workload lock held by the caller: a lost lock stops the run before the next batch. */
  lock?: { lost(): string | undefined };
  onEvent?: MigrationEventHandler;
  random?: () => number;
  /** Plan and stop: nothing is moved. */
  dryRun?: boolean;
}

export async function executeMigration(o: MigrationOptions): Promise<MigrationResult> {
  const s = o.settings;
  const emit: MigrationEventHandler = (event) => o.onEvent?.(event);
  const startedAt = o.clock.now();
  const deadline = new Deadline(o.clock, s.timeoutMs);
  const graceMs = s.acceptGraceMs ?? DEFAULT_ACCEPT_GRACE_MS;
  const direct = o.sendTo.kind === 'direct';
  const reconnect = reconnectRequestOf(s.window);
  // `drain --local` in a preStop hook sees no fleet: the load balancer behind the URL is the only
  // receiver it knows, with no count to plan with or watch.
  const blind = o.receivers.length === 0 && o.sendTo.kind === 'url';
  const readReceivers = (): Promise<ReceiverCandidate[]> =>
    blind ? Promise.resolve([{ name: (o.sendTo as { url: string }).url, health: 'ok', connections: { known: true, value: 0 } }]) : readCandidates(o.receivers, o.gateway, o.fleet, o.signal);

  const firstCount = await o.gateway.connections(o.source, o.signal);
  const firstCandidates = await readReceivers();
  const plan = planMigration({
    source: o.source.name,
    sourceCount: firstCount.known ? firstCount.value : 0,
    ...(s.limit !== undefined ? { limit: s.limit } : {}),
    candidates: firstCandidates,
    direct,
    pacing: s.pacing,
    window: s.window,
  });
  const batches: BatchReport[] = [];
  const sent: SentBatch[] = [];
  const pauses: Array<{ reason: PauseReason; ms: number }> = [];
  let moved = 0;
  let left: Count = firstCount;
  const finish = (outcome: MigrationOutcome, message: string): MigrationResult => ({
    outcome,
    message,
    source: o.source.name,
    plan,
    batches,
    moved,
    left,
    pauses,
    elapsedMs: o.clock.now() - startedAt,
  });

  if (!firstCount.known) {
    const refused = { ...plan, verdict: 'refused' as const, refusal: `the connection count of ${o.source.name} is unknown (${firstCount.reason})`, batches: [], etaMs: 0 };
    emit({ type: 'plan', plan: refused });
    return { ...finish('refused', `nothing moved: ${refused.refusal}`), plan: refused };
  }
  emit({ type: 'plan', plan });
  if (plan.verdict === 'refused') return finish('refused', `nothing moved: ${plan.refusal}`);
  if (plan.verdict === 'nothing-to-move') return finish('nothing-to-move', `${o.source.name} has no connections to move`);
  if (o.dryRun) return finish('planned', `dry run: would move ${plan.toMove} from ${o.source.name} in ${plan.batches.length} batch${plan.batches.length === 1 ? '' : 'es'}; nothing moved`);

  const baseline = new Map(firstCandidates.filter((c) => c.connections.known).map((c) => [c.name, (c.connections as { value: number }).value]));
  const limit = s.limit ?? Number.POSITIVE_INFINITY;
  let paused: { reason: PauseReason; since: number } | undefined;
  let nextAt = o.clock.now();
  let lagSince: number | undefined;
  let slowedBy: string | undefined;
  let sourceCount: Count = firstCount;
  let candidates: ReceiverCandidate[] = firstCandidates;
  const moveSummary = () => `${moved} moved, ${left.known ? left.value : 'unknown'} left on ${o.source.name}`;

  try {
    for (let index = 1; ; ) {
      o.signal.throwIfAborted();
      const lost = o.lock?.lost();
      if (lost) return finish('failed', `stopped: the lock was lost (${lost}); ${moveSummary()}`);
      if (moved >= limit) return finish('completed', `moved ${moved} (the --count asked for); ${moveSummary()}`);
      if (index > 1 || paused) {
        [sourceCount, candidates] = await Promise.all([o.gateway.connections(o.source, o.signal), readReceivers()]);
        if (sourceCount.known) left = sourceCount;
      }
      const slotStart = o.clock.now();
      const { receivers } = chooseReceivers(direct ? withInFlight(candidates, { sent, nowMs: slotStart, baseline, windowMaxMs: s.window.maxMs, graceMs }) : candidates, direct);
      const wait = whyWait(sourceCount, receivers, candidates, direct);
      if (sourceCount.known && sourceCount.value === 0) return finish('completed', `${o.source.name} is empty; ${moveSummary()}`);
      if (wait) {
        if (await pause(wait.reason, wait.detail)) continue;
        return finish('timeout', `timed out while paused (${wait.detail}); ${moveSummary()}`);
      }

      let size = Math.min(s.pacing.batchSize, limit - moved, (sourceCount as { value: number }).value);
      const lag = blind ? 0 : inFlightBeyondWindow({ sent, nowMs: slotStart, arrived: arrivedAt(candidates, baseline), windowMaxMs: s.window.maxMs, graceMs, batchSize: s.pacing.batchSize });
      if (lag > 0) {
        lagSince ??= slotStart;
        // Pause while the receivers could still catch up; after a whole window, go on at half speed.
        if (slotStart - lagSince < s.window.maxMs + graceMs) {
          if (await pause('receivers-lag', `${lag} moved clients have not reached a receiver`)) continue;
          return finish('timeout', `timed out while the receivers lagged; ${moveSummary()}`);
        }
      } else lagSince = undefined;
      const slowReason = lag > 0 ? 'receivers lag behind' : nearCapacity(receivers, s.nearCapacity ?? DEFAULT_NEAR_CAPACITY);
      if (slowReason) size = Math.max(1, Math.ceil(size / 2));
      if (slowReason !== slowedBy) {
        slowedBy = slowReason;
        if (slowReason) emit({ type: 'slowed', reason: slowReason, batchSize: size });
      }
      const share = allocate(size, receivers);
      const count = allocated(share);
      if (count === 0) {
        if (await pause('receivers-full', 'every receiver is at its connection limit')) continue;
        return finish('timeout', `timed out while every receiver was full; ${moveSummary()}`);
      }
      resume();

      const urlOf = (name: string) => receivers.find((r) => r.name === name)!.url!;
      const targets = o.sendTo.kind === 'url' ? [o.sendTo.url] : targetsFor(share, urlOf);
      const batchId = `${o.runId}-${index}`;
      const { result, attempts } = await postBatch(
        o.source,
        { count, targets, ...reconnect, batchId },
        { gateway: o.gateway, clock: o.clock, attempts: s.postAttempts ?? DEFAULT_POST_ATTEMPTS, onRetry: (attempt, reason, retryInMs) => emit({ type: 'retry', batchId, attempt, reason, retryInMs }), ...(o.random ? { random: o.random } : {}) },
      );
      moved += result.migrated;
      if (result.remaining.known) left = result.remaining;
      sent.push({ atMs: slotStart, migrated: result.migrated, ...(direct ? { shares: sharesSent(share, result.migrated, count) } : {}) });
      const batch: BatchReport = {
        index,
        batchId,
        atMs: slotStart - startedAt,
        requested: count,
        migrated: result.migrated,
        shares: Object.fromEntries(share),
        targets: [...new Set(targets)],
        attempts,
        remaining: result.remaining,
      };
      batches.push(batch);
      emit({ type: 'batch', batch, moved, left, toMove: Number.isFinite(limit) ? limit : moved + (left.known ? left.value : 0) });
      index += 1;
      if (result.migrated === 0 || (result.remaining.known && result.remaining.value === 0)) {
        return finish('completed', `${o.source.name} has no open connection left to move; ${moveSummary()}`);
      }
      if (moved >= limit) continue;
      // A drift-free schedule: the reads and the POST happen inside the interval. Behind by more
      // than an interval (slow reads), it re-anchors instead of bursting to catch up.
      nextAt = Math.max(nextAt + s.pacing.intervalMs, o.clock.now() - s.pacing.intervalMs);
      await o.clock.sleep(Math.max(0, nextAt - o.clock.now()), o.signal);
    }
  } catch (error) {
    if (o.signal.aborted && (isAbortError(error) || error === o.signal.reason)) return finish('interrupted', `interrupted between batches: ${moveSummary()}`);
    throw error;
  }

  /** Sleep one interval in a pause; false when the deadline has passed. */
  async function pause(reason: PauseReason, detail: string): Promise<boolean> {
    if (deadline.expired()) {
      resume();
      return false;
    }
    if (paused?.reason !== reason) {
      resume();
      paused = { reason, since: o.clock.now() };
      emit({ type: 'paused', reason, detail });
    }
    await o.clock.sleep(Math.min(s.pacing.intervalMs, Math.max(1, deadline.remaining())), o.signal);
    return true;
  }

  function resume(): void {
    if (!paused) return;
    const ms = o.clock.now() - paused.since;
    pauses.push({ reason: paused.reason, ms });
    emit({ type: 'resumed', pausedMs: ms });
    paused = undefined;
  }
}

function whyWait(source: Count, receivers: readonly Receiver[], candidates: readonly ReceiverCandidate[], direct: boolean): { reason: PauseReason; detail: string } | undefined {
  if (!source.known) return { reason: 'source-count-unknown', detail: `the source's count is unknown (${source.reason})` };
  if (source.value === 0) return undefined;
  if (receivers.length === 0) {
    const { excluded } = chooseReceivers(candidates, direct);
    return { reason: 'no-receiver', detail: `no receiver can take clients now${excluded.length ? ` (${excluded.map((e) => `${e.name}: ${e.why}`).join('; ')})` : ''}` };
  }
  return undefined;
}

function nearCapacity(receivers: readonly Receiver[], fraction: number): string | undefined {
  const near = receivers.filter((r) => r.maxConnections !== undefined && r.connections >= fraction * r.maxConnections);
  return near.length ? `${near.map((r) => `${r.name} ${r.connections}/${r.maxConnections}`).join(', ')} near capacity` : undefined;
}

/** Each receiver's count plus the clients sent to it that are still reconnecting. */
function withInFlight(
  candidates: readonly ReceiverCandidate[],
  o: { sent: readonly SentBatch[]; nowMs: number; baseline: ReadonlyMap<string, number>; windowMaxMs: number; graceMs: number },
): ReceiverCandidate[] {
  return candidates.map((c) => {
    const arrived = arrivedAtOne(c, o.baseline);
    if (arrived === undefined || !c.connections.known) return c;
    const inFlight = inFlightTo(c.name, { ...o, arrived });
    return inFlight ? { ...c, connections: { known: true, value: c.connections.value + inFlight } } : c;
  });
}

/** The shares of a batch the source moved only part of (it had fewer clients): scaled down, rounded up. */
function sharesSent(share: ReadonlyMap<string, number>, migrated: number, requested: number): Record<string, number> {
  const scale = requested === 0 ? 0 : Math.min(1, migrated / requested);
  return Object.fromEntries([...share].map(([name, n]) => [name, Math.ceil(n * scale)]));
}

/** Connections a receiver gained since the run began (never negative); undefined when either count is unknown. */
function arrivedAtOne(c: ReceiverCandidate, baseline: ReadonlyMap<string, number>): number | undefined {
  const before = baseline.get(c.name);
  return before !== undefined && c.connections.known ? Math.max(0, c.connections.value - before) : undefined;
}

function arrivedAt(candidates: readonly ReceiverCandidate[], baseline: ReadonlyMap<string, number>): number {
  return candidates.reduce((sum, c) => sum + (arrivedAtOne(c, baseline) ?? 0), 0);
}

export type { MigrationPlan };
