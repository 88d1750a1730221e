// The in-memory port fakes are shared by every ops/ test: pin down how they behave.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/ops/errors.js';
import { FakeClock, FakeFleet, FakeGateway, fakeInstances, gatewayError } from '../support/fakes/index.js';

const [i0] = fakeInstances(1);

describe('FakeClock', () => {
  it('wakes sleepers in order of wake time, ties in call order, only when advanced', async () => {
    const clock = new FakeClock();
    const woke: string[] = [];
    void clock.sleep(200).then(() => woke.push(`b@${clock.now()}`));
    void clock.sleep(100).then(() => woke.push(`a@${clock.now()}`));
    void clock.sleep(200).then(() => woke.push(`c@${clock.now()}`));
    await clock.flush();
    expect(woke).toEqual([]);
    await clock.advance(150);
    expect(woke).toEqual(['a@100']);
    await clock.advance(1_000);
    expect(woke).toEqual(['a@100', 'b@200', 'c@200']);
    expect(clock.now()).toBe(1_150);
  });

  it('rejects a sleep with the signal reason on abort and forgets it', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.pendingSleeps).toBe(0);
    await expect(clock.sleep(10, controller.signal)).rejects.toThrow('stop');
  });

  it('runs a promise to completion, and refuses one that waits on something else', async () => {
    const clock = new FakeClock();
    const work = async () => {
      await clock.sleep(5_000);
      await clock.sleep(5_000);
      return clock.now();
    };
    expect(await clock.runUntilSettled(work())).toBe(10_000);
    await expect(clock.runUntilSettled(new Promise(() => undefined))).rejects.toThrow(/nothing is sleeping/);
  });

  it('keeps the wall clock moving with the monotonic one', async () => {
    const clock = new FakeClock({ wallStartMs: 1_000_000 });
    await clock.advance(500);
    expect(clock.wallNow()).toBe(1_000_500);
  });
});

describe('FakeGateway', () => {
  it('plays count and health scripts, repeating the last step', async () => {
    const gateway = new FakeGateway();
    gateway.set(i0!.name, { counts: [3, 'unknown', 0], health: ['ok', 'unreachable'] });
    const counts = [];
    for (let n = 0; n < 4; n++) counts.push(await gateway.connections(i0!));
    expect(counts).toEqual([{ known: true, value: 3 }, { known: false, reason: 'timed out' }, { known: true, value: 0 }, { known: true, value: 0 }]);
    expect((await gateway.health(i0!)).status).toBe('ok');
    expect((await gateway.health(i0!)).status).toBe('unreachable');
    expect((await gateway.health(i0!)).status).toBe('unreachable');
  });

  it('simulates drain, undrain, ignoreDrain, migrate and errors, logging every call', async () => {
    const gateway = new FakeGateway();
    gateway.set(i0!.name, { connections: 10 });
    expect((await gateway.health(i0!)).status).toBe('ok');
    expect(await gateway.drain(i0!)).toEqual({ accepted: true, httpStatus: 202, active: { known: true, value: 10 } });
    expect(await gateway.health(i0!)).toMatchObject({ status: 'draining', httpStatus: 503 });
    await gateway.undrain(i0!);
    expect((await gateway.health(i0!)).status).toBe('ok');
    expect(await gateway.migrate(i0!, { count: 4, targets: [], reconnectAfterMs: 0, jitterMs: 0 })).toEqual({ migrated: 4, remaining: { known: true, value: 6 } });

    gateway.set(i0!.name, { ignoreDrain: true });
    await gateway.drain(i0!);
    expect((await gateway.health(i0!)).status).toBe('ok');
    gateway.set(i0!.name, { drainError: gatewayError('unauthorized') });
    await expect(gateway.drain(i0!)).rejects.toMatchObject({ failure: 'unauthorized', httpStatus: 401 });

    expect(gateway.calls.map((c) => c.op)).toEqual(['health', 'drain', 'health', 'undrain', 'health', 'migrate', 'drain', 'health', 'drain']);
    expect(gateway.callsOf('drain')).toHaveLength(3);
  });

  it('counts calls in flight while they take time on the fake clock', async () => {
    const clock = new FakeClock();
    const gateway = new FakeGateway({ clock, latencyMs: 100 });
    const all = Promise.all(fakeInstances(5).map((i) => gateway.health(i)));
    await clock.runUntilSettled(all);
    expect(gateway.maxInFlight).toBe(5);
    expect(gateway.inFlight).toBe(0);
    expect(clock.now()).toBe(100);
  });

  it('rejects an aborted call with the signal reason', async () => {
    const clock = new FakeClock();
    const gateway = new FakeGateway({ clock, latencyMs: 100 });
    const controller = new AbortController();
    const call = gateway.connections(i0!, controller.signal);
    controller.abort(new Error('gone'));
    await expect(call).rejects.toThrow('gone');
  });

  it('restartProcess brings back a fresh, undrained process', async () => {
    const gateway = new FakeGateway();
    gateway.set(i0!.name, { draining: true, counts: [9] });
    gateway.restartProcess(i0!.name, 2);
    expect((await gateway.health(i0!)).status).toBe('ok');
    expect(await gateway.connections(i0!)).toEqual({ known: true, value: 2 });
  });
});

describe('FakeFleet', () => {
  it('resolves targets in ordinal order and refuses unknown names', async () => {
    const fleet = new FakeFleet(fakeInstances(12), { selectors: { 'app=conduit': ['conduit-1', 'conduit-10'] } });
    expect((await fleet.resolve({ kind: 'all' })).map((i) => i.ordinal)).toEqual([...Array(12).keys()]);
    expect((await fleet.resolve({ kind: 'workload', workloadKind: 'statefulset', name: 'conduit' })).length).toBe(12);
    expect((await fleet.resolve({ kind: 'selector', selector: 'app=conduit' })).map((i) => i.name)).toEqual(['conduit-1', 'conduit-10']);
    await expect(fleet.resolve({ kind: 'names', names: ['conduit-99'] })).rejects.toBeInstanceOf(UsageError);
    await expect(fleet.resolve({ kind: 'workload', workloadKind: 'statefulset', name: 'other' })).rejects.toBeInstanceOf(UsageError);
  });

  it('restarts, re-creates, removes and fails reads on demand', async () => {
    const fleet = new FakeFleet(fakeInstances(1));
    const before = (await fleet.get('conduit-0'))!;
    expect(fleet.restart('conduit-0')).toMatchObject({ uid: before.uid, restarts: 1 });
    expect(fleet.recreate('conduit-0').uid).not.toBe(before.uid);
    fleet.failGet('conduit-0', new Error('503'));
    await expect(fleet.get('conduit-0')).rejects.toThrow('503');
    fleet.failGet('conduit-0', undefined);
    fleet.remove('conduit-0');
    expect(await fleet.get('conduit-0')).toBeUndefined();
    expect(fleet.calls).toEqual(['get:conduit-0', 'get:conduit-0', 'get:conduit-0']);
  });
});
