// Issue 14 item 7: the undrain operation over the port fakes.
import { describe, expect, it } from 'vitest';
import { undrainInstances, type UndrainEvent } from '../../../src/ops/undrain/index.js';
import { FakeClock, FakeGateway, fakeInstances, gatewayError } from '../../support/fakes/index.js';

function world(n = 2) {
  const clock = new FakeClock();
  const gateway = new FakeGateway({ clock });
  const instances = fakeInstances(n);
  const controller = new AbortController();
  const events: UndrainEvent[] = [];
  const start = (timeoutMs = 30_000) =>
    undrainInstances({ instances, gateway, clock, signal: controller.signal, settings: { timeoutMs, pollIntervalMs: 1_000 }, onEvent: (e) => events.push(e) });
  return { clock, gateway, instances, controller, events, start, run: (timeoutMs?: number) => clock.runUntilSettled(start(timeoutMs)) };
}

describe('item 7: undrain — /health answering ok again is the done condition', () => {
  it('undrains the draining instances and leaves the serving ones alone (no request)', async () => {
    const w = world(2);
    w.gateway.set('conduit-0', { draining: true });
    const result = await w.run();
    expect(result.outcome).toBe('undrained');
    expect(result.instances).toEqual([
      { name: 'conduit-0', state: 'serving', undrainedByThisRun: true },
      { name: 'conduit-1', state: 'serving', undrainedByThisRun: false },
    ]);
    expect(w.gateway.callsOf('undrain').map((c) => c.instance)).toEqual(['conduit-0']);
    expect(w.events).toHaveLength(3);
    expect(w.events).toEqual(
      expect.arrayContaining([
        { type: 'already-serving', instance: 'conduit-1' },
        { type: 'undrain-requested', instance: 'conduit-0' },
        { type: 'serving', instance: 'conduit-0' },
      ]),
    );
  });

  it('an accepted request is not done: it waits until /health says ok', async () => {
    const w = world(1);
    w.gateway.set('conduit-0', { draining: true, health: ['draining', 'draining', 'draining', 'ok'] });
    const result = await w.run();
    expect(result.outcome).toBe('undrained');
    expect(w.gateway.callsOf('health')).toHaveLength(4);
    expect(w.gateway.callsOf('undrain')).toHaveLength(1);
  });

  it('at the deadline what still says draining is reported, never counted as serving (exit 4)', async () => {
    const w = world(1);
    w.gateway.set('conduit-0', { health: ['draining'] });
    const result = await w.run(5_000);
    expect(result.outcome).toBe('timeout');
    expect(result.instances[0]).toMatchObject({ state: 'draining', detail: '/health still says draining' });
  });

  it('a failed request is sent again on the next poll (undrain is idempotent)', async () => {
    const w = world(1);
    w.gateway.set('conduit-0', { draining: true, undrainError: gatewayError('unreachable') });
    const running = w.start();
    await w.clock.advance(1_500);
    w.gateway.set('conduit-0', { undrainError: undefined });
    const result = await w.clock.runUntilSettled(running);
    expect(result.outcome).toBe('undrained');
    expect(w.gateway.callsOf('undrain').length).toBeGreaterThanOrEqual(2);
  });

  it('a gateway with no undrain endpoint (404) or a rejected token stops at once (exit 3)', async () => {
    for (const failure of ['unsupported', 'unauthorized'] as const) {
      const w = world(2);
      w.gateway.set('conduit-0', { draining: true, undrainError: gatewayError(failure) });
      w.gateway.set('conduit-1', { draining: true, health: ['draining'] });
      const error = await w.run().catch((e: unknown) => e);
      expect(error).toMatchObject({ failure, kind: 'refused' });
      expect(w.clock.pendingSleeps).toBe(0);
    }
  });

  it('an interrupt reports what was done so far', async () => {
    const w = world(1);
    w.gateway.set('conduit-0', { health: ['draining'] });
    const running = w.start();
    await w.clock.advance(2_000);
    w.controller.abort();
    const result = await w.clock.runUntilSettled(running);
    expect(result.outcome).toBe('interrupted');
    expect(result.instances[0]).toMatchObject({ state: 'draining', undrainedByThisRun: true });
  });
});
