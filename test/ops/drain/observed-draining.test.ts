// Issue 14 item 1: draining is observed on every poll. A file-fleet gateway has no uid or restart
// count: a restart (or an undrain by someone else) shows only as /health no longer saying draining,
// or as a new boot id. Either way it is reported, the drain re-asserted, never counted as drained.
import { describe, expect, it } from 'vitest';
import { drainHarness } from './harness.js';

const gw = 'conduit-0';

describe('item 1: a gateway restarted mid-drain is never reported drained (no fleet identity)', () => {
  it('a gateway that stops saying draining is reported, its drain re-asserted, and the run ends "restarted"', async () => {
    const h = drainHarness({ settings: { minDrainMs: 0 } });
    h.gateway.set(gw, { connections: 5 });
    const running = h.start();
    await h.clock.advance(3_000);
    // kill -9 and started again: a fresh process, not draining, 0 connections — the 5 clients got 1006.
    h.gateway.restartProcess(gw, 0);

    const result = await h.clock.runUntilSettled(running);

    expect(result.outcome).toBe('restarted');
    expect(result.instances[0]).toMatchObject({ state: 'stopped-draining', droppedConnections: 5 });
    expect(result.instances[0]!.detail).toBe(
      'stopped saying draining (it restarted, or someone undrained it): 5 connections may have been dropped; the drain was re-asserted',
    );
    expect(h.eventsOf('draining-lost')).toMatchObject([{ instance: gw, connectionsAtRisk: 5 }]);
    expect(h.eventsOf('stable-zero')).toEqual([]);
    expect(h.gateway.callsOf('drain', gw)).toHaveLength(2);
    expect(h.gateway.state(gw).draining).toBe(true);
  });

  it('someone else undrains it: the same, never counted as drained', async () => {
    const h = drainHarness({ settings: { minDrainMs: 0 } });
    h.gateway.set(gw, { connections: 2 });
    const running = h.start();
    await h.clock.advance(2_000);
    h.gateway.state(gw).connections = 0;
    h.gateway.state(gw).draining = false;
    const result = await h.clock.runUntilSettled(running);
    expect(result.outcome).toBe('restarted');
    expect(result.instances[0]).toMatchObject({ state: 'stopped-draining' });
  });

  it('a new boot id is a restart even when the new process came back draining', async () => {
    const h = drainHarness({ settings: { minDrainMs: 0 } });
    h.gateway.set(gw, { connections: 4, bootId: 'boot-1' });
    const running = h.start();
    await h.clock.advance(3_000);
    h.gateway.restartProcess(gw, 0);
    h.gateway.state(gw).draining = true; // e.g. a preStop hook drained the new process at once

    const result = await h.clock.runUntilSettled(running);

    expect(result.outcome).toBe('restarted');
    expect(result.instances[0]).toMatchObject({ state: 'restarted', droppedConnections: 4 });
    expect(result.instances[0]!.detail).toBe('4 connections dropped by a restart (boot id boot-1 → boot-1+restarted)');
    expect(h.eventsOf('restart-detected')).toMatchObject([{ instance: gw, droppedConnections: 4 }]);
  });

  it('a poll where /health does not say draining never counts towards the stable zero', async () => {
    const h = drainHarness({ settings: { minDrainMs: 0, timeoutMs: 10_000 } });
    h.gateway.set(gw, { counts: [0], health: ['ok', 'draining', { status: 'unreachable', reason: 'connection refused' }] });
    const result = await h.run();
    expect(result.outcome).toBe('timeout');
    expect(result.instances[0]).toMatchObject({ state: 'unknown' });
    expect(result.instances[0]!.lastCount).toMatchObject({ known: false, reason: '/health did not say draining (unreachable: connection refused)' });
    expect(h.eventsOf('stable-zero')).toEqual([]);
  });
});
