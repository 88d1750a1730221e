import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/ops/errors.js';
import { gatewayError, unknownCount } from '../../support/fakes/index.js';
import { drainHarness } from './harness.js';

const name = (i: number) => `conduit-${i}`;

describe('drainInstances: request and confirm', () => {
  it('drains, confirms through /health and reports a stable zero', async () => {
    const h = drainHarness({ instances: 2 });
    h.gateway.set(name(0), { connections: 5, counts: [5, 3, 0] });
    h.gateway.set(name(1), { counts: [0] });

    const result = await h.run();

    expect(result.outcome).toBe('drained');
    expect(result.instances.map((i) => [i.name, i.state, i.drainedByThisRun, i.undrained])).toEqual([
      [name(0), 'drained', true, false],
      [name(1), 'drained', true, false],
    ]);
    expect(h.gateway.callsOf('drain').map((c) => c.instance)).toEqual([name(0), name(1)]);
    expect(h.eventsOf('drain-requested')).toMatchObject([{ alreadyDraining: false }, { alreadyDraining: false }]);
    expect(h.eventsOf('draining-confirmed').map((e) => e.instance)).toEqual([name(0), name(1)]);
    // Both had a stable zero long before the minimum drain time: they finish when it has passed.
    expect(h.eventsOf('stable-zero').map((e) => e.at)).toEqual([h.settings.minDrainMs, h.settings.minDrainMs]);
    expect(result.elapsedMs).toBe(h.settings.minDrainMs);
  });

  it('leaves nothing running once it returns', async () => {
    const h = drainHarness({ instances: 3, latencyMs: 20, withFleet: true });
    h.gateway.set(name(1), { counts: ['unknown'] });
    await h.run();
    expect(h.clock.pendingSleeps).toBe(0);
    expect(h.gateway.inFlight).toBe(0);
  });

  it('polls sequentially: a slow poll delays the next one instead of overlapping it', async () => {
    const h = drainHarness({ latencyMs: 1_500 });
    h.gateway.set(name(0), { counts: [4] });
    const running = h.start();
    await h.clock.advance(20_000);
    h.controller.abort();
    await h.clock.runUntilSettled(running);
    // One poll reads the count and /health together; the next poll starts only after both ended.
    expect(h.gateway.maxInFlight).toBe(2);
    const polls = h.gateway.callsOf('connections').map((c) => c.at);
    const gaps = polls.slice(1).map((at, i) => at - polls[i]!);
    expect(new Set(gaps)).toEqual(new Set([1_500 + h.settings.pollIntervalMs]));
  });

  it('sends no drain request to an instance that is already draining (idempotent re-run)', async () => {
    const h = drainHarness();
    h.gateway.set(name(0), { draining: true, counts: [0] });

    const result = await h.run();

    expect(h.gateway.callsOf('drain')).toHaveLength(0);
    expect(h.eventsOf('drain-requested')).toEqual([{ type: 'drain-requested', instance: name(0), alreadyDraining: true, at: 0 }]);
    expect(result.outcome).toBe('drained');
    expect(result.instances[0]).toMatchObject({ state: 'drained', drainedByThisRun: false });
  });

  it('an instance named twice is drained once, with one set of timers', async () => {
    const h = drainHarness();
    h.gateway.set(name(0), { counts: [0] });

    const result = await h.run([h.instances[0]!, { ...h.instances[0]! }]);

    expect(h.gateway.callsOf('drain')).toHaveLength(1);
    expect(result.instances).toHaveLength(1);
    expect(h.eventsOf('poll').map((e) => e.zeroStreak)).toEqual(h.eventsOf('poll').map((_, i) => i + 1));
  });

  it('does not send the drain again while waiting for /health, and times minDrain from the confirmation', async () => {
    const h = drainHarness();
    h.gateway.set(name(0), { health: ['ok', 'ok', 'ok', 'draining'], counts: [0] });

    await h.run();

    expect(h.gateway.callsOf('drain')).toHaveLength(1);
    const confirmedAt = h.eventsOf('draining-confirmed')[0]!.at;
    expect(confirmedAt).toBe(2 * h.settings.pollIntervalMs);
    expect(h.eventsOf('poll')[0]).toMatchObject({ at: confirmedAt, sinceDrainingMs: 0 });
    expect(h.eventsOf('stable-zero')[0]!.at).toBe(confirmedAt + h.settings.minDrainMs);
  });

  it('asks again when the drain request itself failed (it may not have arrived)', async () => {
    const h = drainHarness();
    h.gateway.set(name(0), { drainError: gatewayError('unreachable'), counts: [0] });
    const running = h.start();
    await h.clock.advance(2_500);
    h.gateway.set(name(0), { drainError: undefined });
    const result = await h.clock.runUntilSettled(running);

    expect(h.gateway.callsOf('drain').map((c) => c.at)).toEqual([0, 1_000, 2_000, 3_000]);
    expect(result.outcome).toBe('drained');
  });

  it('is not-confirmed when /health never says draining, and undoes what this run drained', async () => {
    const h = drainHarness({ instances: 3 });
    h.gateway.set(name(0), { counts: [4] });
    h.gateway.set(name(1), { ignoreDrain: true });
    h.gateway.set(name(2), { draining: true, counts: [4] });

    const result = await h.run();

    expect(result.outcome).toBe('not-confirmed');
    expect(result.elapsedMs).toBe(h.settings.confirmTimeoutMs);
    const [first, unconfirmed, alreadyDraining] = result.instances;
    expect(unconfirmed).toMatchObject({ state: 'not-draining', drainedByThisRun: true, undrained: true });
    expect(unconfirmed!.detail).toMatch(/accepted but \/health did not say draining within 10s.*undrained/);
    expect(first).toMatchObject({ drainedByThisRun: true, undrained: true });
    expect(first!.detail).toContain(`the drain of ${name(1)} was not confirmed`);
    expect(alreadyDraining).toMatchObject({ drainedByThisRun: false, undrained: false });
    expect(h.gateway.callsOf('undrain').map((c) => c.instance).sort()).toEqual([name(0), name(1)]);
    expect(h.gateway.state(name(2)).draining).toBe(true);
    expect(h.eventsOf('undrained').map((e) => e.instance).sort()).toEqual([name(0), name(1)]);
  });

  it('stops at once on 401 and undrains what it already drained before throwing', async () => {
    const h = drainHarness({ instances: 3 });
    h.gateway.set(name(0), { counts: [4] });
    h.gateway.set(name(1), { drainError: gatewayError('unauthorized') });
    h.gateway.set(name(2), { draining: true, counts: [4] });

    const error = await h.run().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ failure: 'unauthorized', kind: 'refused' });
    expect(h.gateway.callsOf('undrain').map((c) => c.instance)).toEqual([name(0)]);
    expect(h.eventsOf('undrained').map((e) => e.instance)).toEqual([name(0)]);
    expect(h.clock.now()).toBe(0);
    expect(h.clock.pendingSleeps).toBe(0);
  });

  it('stops on a 401 from a count read as well', async () => {
    const h = drainHarness({ instances: 2 });
    h.gateway.set(name(0), { counts: [4] });
    h.gateway.set(name(1), { counts: [4, 4, unknownCount('HTTP 401', 'unauthorized')] });

    const error = await h.run().catch((e: unknown) => e);

    expect(error).toMatchObject({ failure: 'unauthorized', endpoint: `connection count of ${name(1)}` });
    expect(h.gateway.callsOf('undrain').map((c) => c.instance).sort()).toEqual([name(0), name(1)]);
  });

  it('item 4: the deadline lies — a deadline shorter than the confirmation is "never confirmed" (exit 3), not "still draining"', async () => {
    const h = drainHarness({ settings: { timeoutMs: 3_000, confirmTimeoutMs: 10_000 } });
    h.gateway.set(name(0), { ignoreDrain: true });
    const result = await h.run();
    expect(result.outcome).toBe('not-confirmed');
    expect(result.instances[0]).toMatchObject({
      state: 'not-draining',
      detail: expect.stringMatching(/^never confirmed: the deadline \(3s\) passed before \/health said draining/),
    });
    // What this run sent is undone: nothing says the gateway ever drained.
    expect(h.gateway.callsOf('undrain').map((c) => c.instance)).toEqual([name(0)]);
  });

  it('item 4: the deadline overruns — every gateway call of the run is bounded by the run\'s deadline', async () => {
    const h = drainHarness({ settings: { timeoutMs: 30_000 } });
    h.gateway.set(name(0), { counts: [0] });
    const running = h.start();
    expect(h.gateway.deadlines).toHaveLength(1);
    const bound = h.gateway.deadlines[0]!;
    expect(bound.remaining()).toBe(30_000);
    await h.clock.advance(12_000);
    expect(bound.remaining()).toBe(18_000);
    await h.clock.runUntilSettled(running);
  });
});

describe('drainInstances: the stable-zero rule', () => {
  it('does not call 3 zeros drained before the minimum drain time', async () => {
    const h = drainHarness();
    h.gateway.set(name(0), { counts: [0] });
    const running = h.start();

    await h.clock.advance(h.settings.minDrainMs - 1);
    expect(h.eventsOf('poll').filter((e) => e.zeroStreak >= h.settings.stableZeroPolls).length).toBeGreaterThan(0);
    expect(h.eventsOf('stable-zero')).toHaveLength(0);

    const result = await h.clock.runUntilSettled(running);
    expect(result.outcome).toBe('drained');
    expect(h.eventsOf('stable-zero')[0]!.at).toBe(h.settings.minDrainMs);
  });

  it('resets the streak on an unknown count (0, 0, unknown, 0)', async () => {
    const h = drainHarness({ settings: { minDrainMs: 0 } });
    h.gateway.set(name(0), { counts: [0, 0, 'unknown', 0] });
    await h.run();
    expect(h.eventsOf('poll').map((e) => e.zeroStreak)).toEqual([1, 2, 0, 1, 2, 3]);
    expect(h.eventsOf('stable-zero')[0]!.at).toBe(5 * h.settings.pollIntervalMs);
  });

  it('waits out a flapping count (0 → 3 → 0)', async () => {
    const h = drainHarness({ settings: { minDrainMs: 0 } });
    h.gateway.set(name(0), { counts: [0, 0, 3, 0] });
    await h.run();
    expect(h.eventsOf('poll').map((e) => (e.count.known ? e.count.value : 'unknown'))).toEqual([0, 0, 3, 0, 0, 0]);
    expect(h.eventsOf('stable-zero')).toHaveLength(1);
    expect(h.eventsOf('stable-zero')[0]!.at).toBe(5 * h.settings.pollIntervalMs);
  });

  it('never calls an unknown count drained: it ends as unknown at the deadline, still draining', async () => {
    const h = drainHarness({ instances: 2, settings: { timeoutMs: 30_000 } });
    h.gateway.set(name(0), { counts: ['unknown'] });
    h.gateway.set(name(1), { counts: [7] });

    const result = await h.run();

    expect(result.outcome).toBe('timeout');
    expect(result.elapsedMs).toBe(30_000);
    expect(result.instances[0]).toMatchObject({ state: 'unknown', lastCount: { known: false }, undrained: false });
    expect(result.instances[0]!.detail).toContain('not counted as drained');
    expect(result.instances[1]).toMatchObject({ state: 'waiting', lastCount: { known: true, value: 7 }, detail: '7 connections left' });
    expect(h.eventsOf('stable-zero')).toHaveLength(0);
    expect(h.gateway.callsOf('undrain')).toHaveLength(0);
    expect(h.gateway.state(name(0)).draining).toBe(true);
  });

  it('treats a count read while the fleet cannot be read as unknown', async () => {
    const h = drainHarness({ withFleet: true, settings: { minDrainMs: 0, timeoutMs: 10_000 } });
    h.gateway.set(name(0), { counts: [0] });
    h.fleet.failGet(name(0), new Error('API server unreachable'));
    const result = await h.run();
    expect(result.outcome).toBe('timeout');
    expect(result.instances[0]).toMatchObject({ state: 'unknown' });
    expect(result.instances[0]!.lastCount).toMatchObject({ reason: 'could not re-read the instance: API server unreachable' });
  });
});

describe('drainInstances: restarts and departures (with a fleet)', () => {
  it('detects a re-created instance (new uid), reports the dropped connections and re-asserts the drain', async () => {
    const h = drainHarness({ instances: 2, withFleet: true });
    h.gateway.set(name(0), { counts: [10, 8, 6] });
    h.gateway.set(name(1), { counts: [0] });
    const running = h.start();
    await h.clock.advance(2_500);
    h.fleet.recreate(name(0));
    h.gateway.restartProcess(name(0), 0);

    const result = await h.clock.runUntilSettled(running);

    expect(result.outcome).toBe('restarted');
    expect(h.eventsOf('restart-detected')).toEqual([{ type: 'restart-detected', instance: name(0), droppedConnections: 6, at: 3_000 }]);
    expect(result.instances[0]).toMatchObject({ state: 'restarted' });
    expect(result.instances[0]!.detail).toMatch(/^6 connections dropped by a restart \(uid .* → .*\); it came back not draining, so the drain was re-asserted$/);
    expect(h.gateway.callsOf('drain', name(0)).map((c) => c.at)).toEqual([0, 3_000]);
    expect(h.gateway.state(name(0)).draining).toBe(true);
    expect(result.instances[1]).toMatchObject({ state: 'drained' });
  });

  it('detects a container restart (restarts went up) and does not re-drain one that came back draining', async () => {
    const h = drainHarness({ withFleet: true });
    h.gateway.set(name(0), { counts: [3] });
    const running = h.start();
    await h.clock.advance(1_500);
    h.fleet.restart(name(0));

    const result = await h.clock.runUntilSettled(running);

    expect(result.outcome).toBe('restarted');
    expect(h.eventsOf('restart-detected')[0]).toMatchObject({ droppedConnections: 3 });
    expect(result.instances[0]!.detail).toBe('3 connections dropped by a restart (restarts 0 → 1)');
    expect(h.gateway.callsOf('drain')).toHaveLength(1);
  });

  it('an instance that leaves after a known 0 is fine', async () => {
    const h = drainHarness({ withFleet: true });
    h.gateway.set(name(0), { counts: [2, 0] });
    const running = h.start();
    await h.clock.advance(1_500);
    h.fleet.remove(name(0));
    const result = await h.clock.runUntilSettled(running);
    expect(result.outcome).toBe('drained');
    expect(result.instances[0]).toMatchObject({ state: 'gone', undrained: false });
  });

  it('an instance that leaves holding connections dropped them', async () => {
    const h = drainHarness({ withFleet: true });
    h.gateway.set(name(0), { counts: [9] });
    const running = h.start();
    await h.clock.advance(1_500);
    h.fleet.remove(name(0));
    const result = await h.clock.runUntilSettled(running);
    expect(result.outcome).toBe('restarted');
    expect(result.instances[0]).toMatchObject({ state: 'gone', detail: 'the instance disappeared while holding 9 connections: they were dropped' });
  });
});

describe('drainInstances: interrupts', () => {
  function interruptedAfter3s(keepDraining: boolean) {
    const h = drainHarness({ instances: 3, settings: { keepDraining } });
    h.gateway.set(name(0), { counts: [12] });
    h.gateway.set(name(1), { draining: true, counts: [5] });
    h.gateway.set(name(2), { counts: [0] });
    return h;
  }

  it('stops polling at once and undrains only what this run drained', async () => {
    const h = interruptedAfter3s(false);
    const running = h.start();
    await h.clock.advance(3_000);
    const pollsBefore = h.gateway.callsOf('connections').length;
    h.controller.abort(new Error('SIGINT'));
    const result = await h.clock.runUntilSettled(running);

    expect(result.outcome).toBe('interrupted');
    expect(result.elapsedMs).toBe(3_000);
    expect(h.gateway.callsOf('connections')).toHaveLength(pollsBefore);
    expect(h.gateway.callsOf('undrain').map((c) => c.instance).sort()).toEqual([name(0), name(2)]);
    expect(h.eventsOf('undrained').map((e) => e.instance).sort()).toEqual([name(0), name(2)]);
    expect(result.instances.map((i) => [i.name, i.state, i.drainedByThisRun, i.undrained])).toEqual([
      [name(0), 'waiting', true, true],
      [name(1), 'waiting', false, false],
      [name(2), 'waiting', true, true],
    ]);
    expect(h.gateway.state(name(1)).draining).toBe(true);
    expect(h.clock.pendingSleeps).toBe(0);
  });

  it('leaves everything draining with keepDraining', async () => {
    const h = interruptedAfter3s(true);
    const running = h.start();
    await h.clock.advance(3_000);
    h.controller.abort();
    const result = await h.clock.runUntilSettled(running);

    expect(result.outcome).toBe('interrupted');
    expect(h.gateway.callsOf('undrain')).toHaveLength(0);
    expect(result.instances[0]).toMatchObject({ undrained: false, detail: 'left draining, as asked (keepDraining)' });
  });

  it('a re-run after an interrupted run with keepDraining sends no drain request', async () => {
    const h = interruptedAfter3s(true);
    const first = h.start();
    await h.clock.advance(3_000);
    h.controller.abort();
    await h.clock.runUntilSettled(first);
    const drainsBefore = h.gateway.callsOf('drain').length;

    const second = drainHarness({ instances: 3 });
    second.gateway.set(name(0), { ...h.gateway.state(name(0)) });
    const result = await second.run([second.instances[0]!]);
    expect(drainsBefore).toBe(2);
    expect(second.gateway.callsOf('drain')).toHaveLength(0);
    expect(result.instances[0]).toMatchObject({ drainedByThisRun: false });
  });

  it('does nothing when interrupted before it starts', async () => {
    const h = drainHarness();
    h.controller.abort();
    const result = await h.run();
    expect(result.outcome).toBe('interrupted');
    expect(h.gateway.calls).toHaveLength(0);
  });

  it('gives up on an undrain that hangs, and says so', async () => {
    const h = drainHarness({ latencyMs: 200, settings: { undrainTimeoutMs: 100 } });
    h.gateway.set(name(0), { counts: [4] });
    const running = h.start();
    await h.clock.advance(2_000);
    h.controller.abort();
    const result = await h.clock.runUntilSettled(running);

    expect(h.eventsOf('undrain-failed')).toMatchObject([{ instance: name(0), reason: 'undrain timed out after 100ms' }]);
    expect(result.instances[0]).toMatchObject({ undrained: false });
    expect(result.instances[0]!.detail).toContain('it is still draining');
    expect(h.clock.pendingSleeps).toBe(0);
  });
});

describe('drainInstances: progress', () => {
  it('reports remaining, rate and ETA after each round', async () => {
    const start = 1_000;
    const perPoll = 100;
    const counts = Array.from({ length: start / perPoll + 1 }, (_, i) => start - i * perPoll);
    const h = drainHarness({ settings: { minDrainMs: 0 } });
    h.gateway.set(name(0), { connections: start, counts });

    await h.run();

    const progress = h.eventsOf('progress');
    const ratePerSec = (perPoll * 1_000) / h.settings.pollIntervalMs;
    expect(progress[0]).toMatchObject({ remaining: start, ratePerSec: null, etaMs: null, elapsedMs: 0 });
    for (const [i, p] of progress.entries()) {
      if (i === 0 || p.remaining === 0) continue;
      expect(p).toMatchObject({ remaining: counts[i], ratePerSec, etaMs: (counts[i]! / ratePerSec) * 1_000, elapsedMs: i * h.settings.pollIntervalMs });
    }
    expect(progress.at(-1)).toMatchObject({ remaining: 0, drained: [name(0)], etaMs: 0 });
  });

  it('one report per round, listing unknown counts apart from the remaining sum', async () => {
    const h = drainHarness({ instances: 3, settings: { timeoutMs: 5_000 } });
    h.gateway.set(name(0), { counts: [40] });
    h.gateway.set(name(1), { counts: ['unknown'] });
    h.gateway.set(name(2), { counts: [2] });

    await h.run();

    const progress = h.eventsOf('progress');
    expect(progress.map((p) => p.at)).toEqual([0, 1_000, 2_000, 3_000, 4_000]);
    for (const p of progress) expect(p).toMatchObject({ remaining: 42, unknown: [name(1)], drained: [] });
    expect(progress.at(-1)).toMatchObject({ ratePerSec: 0, etaMs: null });
  });
});
