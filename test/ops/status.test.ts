import { describe, expect, it } from 'vitest';
import { getStatus } from '../../src/ops/status.js';
import { UsageError } from '../../src/ops/errors.js';
import { FakeClock, FakeFleet, FakeGateway, fakeInstances, unknownCount } from '../support/fakes/index.js';

function fleetOf(n: number) {
  return new FakeFleet(fakeInstances(n));
}

describe('getStatus', () => {
  it('reports each instance in fleet order with its health and count', async () => {
    const gateway = new FakeGateway();
    gateway.set('conduit-0', { connections: 10 });
    gateway.set('conduit-1', { connections: 3, draining: true });
    gateway.set('conduit-2', { health: ['unreachable'], counts: ['unknown'] });

    const report = await getStatus({ fleet: fleetOf(3), gateway, target: { kind: 'all' } });

    expect(report.instances.map((row) => [row.instance.name, row.health.status, row.connections])).toEqual([
      ['conduit-0', 'ok', { known: true, value: 10 }],
      ['conduit-1', 'draining', { known: true, value: 3 }],
      ['conduit-2', 'unreachable', unknownCount()],
    ]);
  });

  it('counts unknown counts separately instead of adding them as 0', async () => {
    const gateway = new FakeGateway();
    gateway.set('conduit-0', { connections: 10 });
    gateway.set('conduit-1', { connections: 30 });
    gateway.set('conduit-2', { health: ['unknown'], counts: [unknownCount('non-JSON body')] });
    gateway.set('conduit-3', { health: ['unreachable'], counts: ['unknown'] });

    const report = await getStatus({ fleet: fleetOf(4), gateway, target: { kind: 'all' } });

    expect(report.totals).toEqual({
      instances: 4,
      ok: 2,
      draining: 0,
      unreachable: 1,
      unknownHealth: 1,
      connections: 40,
      unknownCounts: 2,
    });
    // mean over the two KNOWN counts is 20, not 10: the unknown ones are not zeros.
    expect(report.skew).toEqual({ ratio: 1.5, threshold: 1.2, flagged: true });
  });

  it('has no skew ratio when every known count is zero', async () => {
    const report = await getStatus({ fleet: fleetOf(3), gateway: new FakeGateway(), target: { kind: 'all' } });
    expect(report.totals.connections).toBe(0);
    expect(report.skew).toEqual({ ratio: null, threshold: 1.2, flagged: false });
  });

  it('does not flag a fleet within 20% of its mean', async () => {
    const gateway = new FakeGateway();
    [100, 110, 90].forEach((n, i) => gateway.set(`conduit-${i}`, { connections: n }));
    const report = await getStatus({ fleet: fleetOf(3), gateway, target: { kind: 'all' } });
    expect(report.skew.ratio).toBeCloseTo(1.1, 10);
    expect(report.skew.flagged).toBe(false);
  });

  it('resolves the target through the fleet', async () => {
    const fleet = fleetOf(5);
    const report = await getStatus({ fleet, gateway: new FakeGateway(), target: { kind: 'names', names: ['conduit-3', 'conduit-1'] } });
    expect(report.instances.map((row) => row.instance.name)).toEqual(['conduit-3', 'conduit-1']);
    await expect(getStatus({ fleet, gateway: new FakeGateway(), target: { kind: 'names', names: ['nope'] } })).rejects.toBeInstanceOf(UsageError);
  });

  it('queries at most `concurrency` instances at once, health and count of each in parallel', async () => {
    const clock = new FakeClock();
    const gateway = new FakeGateway({ clock, latencyMs: 100 });
    const running = getStatus({ fleet: fleetOf(10), gateway, target: { kind: 'all' }, concurrency: 3 });

    const report = await clock.runUntilSettled(running);

    expect(report.instances).toHaveLength(10);
    expect(gateway.maxInFlight).toBe(2 * 3);
    // 10 instances, 3 at a time, 100 ms each (health and count together): 4 waves.
    expect(clock.now()).toBe(400);
  });

  it('defaults to 32 instances at once', async () => {
    const clock = new FakeClock();
    const gateway = new FakeGateway({ clock, latencyMs: 50 });
    await clock.runUntilSettled(getStatus({ fleet: fleetOf(40), gateway, target: { kind: 'all' } }));
    expect(gateway.maxInFlight).toBe(2 * 32);
  });

  it('rejects a non-positive concurrency', async () => {
    await expect(getStatus({ fleet: fleetOf(1), gateway: new FakeGateway(), target: { kind: 'all' }, concurrency: 0 })).rejects.toThrow(RangeError);
  });

  it('stops when aborted', async () => {
    const clock = new FakeClock();
    const gateway = new FakeGateway({ clock, latencyMs: 100 });
    const controller = new AbortController();
    const running = getStatus({ fleet: fleetOf(10), gateway, target: { kind: 'all' }, concurrency: 2, signal: controller.signal });
    const outcome = running.catch((error: unknown) => error);
    await clock.advance(150);
    controller.abort(new Error('interrupted'));
    expect(await outcome).toMatchObject({ message: 'interrupted' });
    await clock.advance(1_000);
    // The 2 instances of the first wave and the 2 started at 100 ms, nothing after the abort.
    expect(gateway.callsOf('health')).toHaveLength(4);
  });
});
