import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, UsageError } from '../../src/ops/errors.js';
import { connectKube } from '../../src/kube/index.js';
import { workloadLockName } from '../../src/ops/workload-lock/index.js';
import { seedNamespace } from '../../src/sandbox/kube-sim/index.js';
import { startSimWorld, type SimWorld } from './support.js';

let world: SimWorld;
beforeAll(async () => {
  world = await startSimWorld();
});
afterAll(async () => {
  await world.close();
});

/** A connection whose lease clock is `now()`, so expiry is tested without waiting. */
async function connectAt(namespace: string, now: () => number) {
  seedNamespace(world.sim.store, namespace);
  return connectKube({ kubeconfig: world.kubeconfig, namespace, env: {}, requestTimeoutMs: 5_000, lease: { wallNow: now } });
}

const LOCK = workloadLockName('statefulset', 'gw');

describe('Lease lock', () => {
  it('is named after the workload', () => {
    expect(LOCK).toBe('conduitctl-lock-sts-gw');
  });

  it('creates the lease when absent; a second holder is refused and told who holds it', async () => {
    let now = Date.parse('2026-01-01T10:00:00Z');
    const kube = await connectAt('lease-held', () => now);
    const first = await kube.workloads.acquireLease(LOCK, 'alice@laptop pid 1', 60);
    expect(first.acquired).toBe(true);
    const stored = world.sim.store.get('Lease', 'lease-held', LOCK)!;
    expect(stored.spec).toMatchObject({ holderIdentity: 'alice@laptop pid 1', leaseDurationSeconds: 60 });
    // MicroTime: exactly six fractional digits, as the API server requires.
    expect(stored.spec!.renewTime).toMatch(/^2026-01-01T10:00:00\.\d{6}Z$/);

    now += 30_000;
    const second = await kube.workloads.acquireLease(LOCK, 'bob@ci pid 2', 60);
    expect(second).toEqual({
      acquired: false,
      holder: { holder: 'alice@laptop pid 1', durationSeconds: 60, acquiredAtMs: Date.parse('2026-01-01T10:00:00Z'), renewedAtMs: Date.parse('2026-01-01T10:00:00Z') },
    });
  });

  it('takes over an expired lease with a conditional update', async () => {
    let now = Date.parse('2026-01-01T10:00:00Z');
    const kube = await connectAt('lease-expired', () => now);
    await kube.workloads.acquireLease(LOCK, 'alice', 15);
    now += 16_000;
    world.sim.controls.clearRequestLog();
    const taken = await kube.workloads.acquireLease(LOCK, 'bob', 15);
    expect(taken.acquired).toBe(true);
    const stored = world.sim.store.get('Lease', 'lease-expired', LOCK)!;
    expect(stored.spec).toMatchObject({ holderIdentity: 'bob', leaseTransitions: 1 });
    expect(world.sim.controls.requestLog().map((e) => `${e.method} ${e.status}`)).toEqual(['GET 200', 'PUT 200']);
  });

  it('a takeover that loses the race (409 on the write) re-reads and reports the new holder', async () => {
    let now = Date.parse('2026-01-01T10:00:00Z');
    const kube = await connectAt('lease-race', () => now);
    await kube.workloads.acquireLease(LOCK, 'alice', 15);
    now += 16_000;
    world.sim.controls.clearRequestLog();
    // Hold our PUT at the server until Carol has taken the lease over after our read.
    world.sim.controls.addFault({ method: 'PUT', resource: 'leases', latencyMs: 2_000, times: 1 });
    const attempt = kube.workloads.acquireLease(LOCK, 'bob', 15);
    for (let i = 0; i < 400 && !world.sim.controls.requestLog().some((e) => e.method === 'GET'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    world.sim.store.mutate('Lease', 'lease-race', LOCK, (lease) => {
      lease.spec!.holderIdentity = 'carol';
      lease.spec!.renewTime = new Date(now).toISOString().replace('Z', '000Z');
    });
    const result = await attempt;
    expect(world.sim.controls.requestLog().map((e) => `${e.method} ${e.status}`)).toEqual(['GET 200', 'PUT 409', 'GET 200']);
    expect(result.acquired).toBe(false);
    expect(!result.acquired && result.holder.holder).toBe('carol');
    expect(world.sim.store.get('Lease', 'lease-race', LOCK)!.spec!.holderIdentity).toBe('carol');
  });

  it('renew moves renewTime; release frees it only while it is still ours', async () => {
    let now = Date.parse('2026-01-01T10:00:00Z');
    const kube = await connectAt('lease-release', () => now);
    const attempt = await kube.workloads.acquireLease(LOCK, 'alice', 30);
    if (!attempt.acquired) throw new Error('expected the lease');
    now += 10_000;
    await attempt.lease.renew();
    expect(Date.parse(world.sim.store.get('Lease', 'lease-release', LOCK)!.spec!.renewTime)).toBe(now);

    await attempt.lease.release();
    expect(world.sim.store.get('Lease', 'lease-release', LOCK)!.spec!.holderIdentity).toBeUndefined();
    // Free again: someone else gets it at once, without waiting for expiry.
    const bob = await kube.workloads.acquireLease(LOCK, 'bob', 30);
    expect(bob.acquired).toBe(true);
    // Alice's stale handle must not release Bob's lock, and renewing it reports the loss.
    await attempt.lease.release();
    expect(world.sim.store.get('Lease', 'lease-release', LOCK)!.spec!.holderIdentity).toBe('bob');
    await expect(attempt.lease.renew()).rejects.toBeInstanceOf(ConflictError);
  });

  it('rejects a bad name or duration before any request', async () => {
    const kube = await connectAt('lease-bad', Date.now);
    world.sim.controls.clearRequestLog();
    await expect(kube.workloads.acquireLease('Bad/Name', 'a', 10)).rejects.toBeInstanceOf(UsageError);
    await expect(kube.workloads.acquireLease(LOCK, 'a', 0)).rejects.toBeInstanceOf(UsageError);
    expect(world.sim.controls.requestLog()).toEqual([]);
  });
});
