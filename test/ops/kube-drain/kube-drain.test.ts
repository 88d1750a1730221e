import { exitCodeOf } from '../scale/support.js';
import { describe, expect, it } from 'vitest';
import { defaultDrainSettings } from '../../../src/ops/drain/index.js';
import { RefusedError } from '../../../src/ops/errors.js';
import { defaultKubeDrainSettings, drainPods, type KubeDrainEvent, type KubeDrainOptions } from '../../../src/ops/kube-drain/index.js';
import { opsWorld } from '../../support/ops-world.js';

function world(n = 3) {
  const { clock, fleet, kube, gateway, abort } = opsWorld(n);
  const events: KubeDrainEvent[] = [];
  const run = async (names: string[], options: Partial<KubeDrainOptions> = {}) => {
    const pods = await fleet.resolve({ kind: 'names', names });
    return clock.runUntilSettled(
      drainPods({
        workloads: kube,
        fleet,
        gateway,
        clock,
        signal: abort.signal,
        pods,
        then: 'none',
        allowLast: false,
        settings: { ...defaultDrainSettings, ...defaultKubeDrainSettings, timeoutMs: 60_000, minDrainMs: 2_000, pollIntervalMs: 500 },
        random: () => 0.5,
        onEvent: (e) => events.push(e),
        ...options,
      }),
    );
  };
  return { clock, fleet, kube, gateway, events, abort, run };
}

const pdb = { name: 'conduit-pdb', selector: 'app=conduit', minAvailable: 3, currentHealthy: 3, desiredHealthy: 3, disruptionsAllowed: 0, expectedPods: 3 };

describe('drain on Kubernetes', () => {
  it('drains to a stable zero, reports the EndpointSlice leaving, --then none removes nothing', async () => {
    const w = world();
    w.kube.endpoints.set('conduit-2', ['ready', 'ready', 'not-ready']);
    const result = await w.run(['conduit-2']);
    expect(result.outcome).toBe('drained');
    expect(w.events).toContainEqual(expect.objectContaining({ type: 'endpoint', instance: 'conduit-2', readiness: 'not-ready', settled: true }));
    expect(w.kube.mutatingCalls).toEqual([]);
  });

  it('an EndpointSlice that keeps showing the pod ready is reported at the bound', async () => {
    const w = world();
    w.kube.endpoints.set('conduit-2', ['ready']);
    const result = await w.run(['conduit-2'], { settings: { ...defaultDrainSettings, ...defaultKubeDrainSettings, timeoutMs: 60_000, minDrainMs: 2_000, pollIntervalMs: 500, endpointTimeoutMs: 3_000 } });
    expect(result.outcome).toBe('drained');
    expect(w.events).toContainEqual(expect.objectContaining({ type: 'endpoint', instance: 'conduit-2', readiness: 'ready', settled: false }));
  });

  it('draining the last Ready pod: refused unless --allow-last', async () => {
    const w = world(2);
    await w.kube.setReady('conduit-0', false);
    const refused = await w.run(['conduit-1']);
    expect(refused.outcome).toBe('refused');
    expect(refused.message).toContain('conduit-1 is the last Ready pod of statefulset conduit');
    expect(w.gateway.callsOf('drain')).toEqual([]);
    expect((await w.run(['conduit-1'], { allowLast: true })).outcome).toBe('drained');
  });

  it('pod already terminating at drain start: grace end reported, not drained again', async () => {
    const w = world();
    await w.kube.markTerminating('conduit-2', '2026-01-01T00:02:00.000Z');
    const result = await w.run(['conduit-1', 'conduit-2']);
    expect(w.events).toContainEqual({ type: 'already-terminating', instance: 'conduit-2', graceEndsAt: '2026-01-01T00:02:00.000Z' });
    expect(w.gateway.callsOf('drain', 'conduit-2')).toEqual([]);
    expect(result.removals).toContainEqual(expect.objectContaining({ name: 'conduit-2', removal: 'terminating' }));
  });

  it('RBAC forbids pods/eviction: refused before any mutation', async () => {
    const w = world();
    w.kube.deny = (c) => c.subresource === 'eviction';
    const result = await w.run(['conduit-2'], { then: 'evict' });
    expect(result.outcome).toBe('refused');
    expect(result.message).toContain('not allowed to create pods/eviction');
    expect(w.gateway.callsOf('drain')).toEqual([]);
    expect(w.kube.mutatingCalls).toEqual([]);
  });

  it('eviction 429 (PDB): retried every ≥ 5 s with jitter, the PDB and its numbers reported each time, exit 4 at the deadline, no DELETE', async () => {
    const w = world();
    w.kube.pdbs = [pdb];
    w.kube.endpoints.set('conduit-2', ['not-ready']); // its readiness probe fails once it drains
    w.kube.evictions.set('conduit-2', [{ kind: 'blocked-by-pdb', pdb: 'conduit-pdb', message: 'Cannot evict pod as it would violate the pod\'s disruption budget.' }]);
    const result = await w.run(['conduit-2'], { then: 'evict', settings: { ...defaultDrainSettings, ...defaultKubeDrainSettings, timeoutMs: 30_000, minDrainMs: 2_000, pollIntervalMs: 500 } });
    expect(result.outcome).toBe('timeout');
    expect(exitCodeOf(result)).toBe(4);
    const blocks = w.events.filter((e) => e.type === 'evict-blocked');
    expect(blocks.length).toBeGreaterThan(1);
    for (const block of blocks) expect(block).toMatchObject({ pdb: 'conduit-pdb', healthy: 3, needed: 3 });
    const attempts = w.kube.callsOf('evict').map((c) => c.at);
    for (let i = 1; i < attempts.length; i++) expect(attempts[i]! - attempts[i - 1]!).toBeGreaterThanOrEqual(5_000);
    expect(w.kube.callsOf('deletePod')).toEqual([]);
    expect(result.removals).toContainEqual(expect.objectContaining({ name: 'conduit-2', removal: 'blocked' }));
  });

  it('eviction 429 (PDB): the retry spacing is jittered, never under 5 s', async () => {
    const w = world();
    w.kube.pdbs = [pdb];
    const blocked = { kind: 'blocked-by-pdb' as const, pdb: 'conduit-pdb', message: 'budget' };
    w.kube.evictions.set('conduit-2', [blocked, blocked, blocked, blocked, { kind: 'evicted' }]);
    const draws = [0, 1, 0.25, 0.75];
    let draw = 0;
    const result = await w.run(['conduit-2'], { then: 'evict', random: () => draws[draw++ % draws.length]! });
    expect(result.outcome).toBe('removed');
    const attempts = w.kube.callsOf('evict').map((c) => c.at);
    const gaps = attempts.slice(1).map((at, i) => at - attempts[i]!);
    expect(gaps).toHaveLength(4);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(5_000);
      expect(gap).toBeLessThanOrEqual(6_000);
    }
    expect(new Set(gaps).size).toBeGreaterThan(1);
  });

  it('removal waits for the EndpointSlice to drop the pod (or the bound) after the stable zero', async () => {
    const w = world();
    w.kube.endpoints.set('conduit-2', ['ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'not-ready']);
    const result = await w.run(['conduit-2'], { then: 'evict' });
    expect(result.outcome).toBe('removed');
    const settledAt = w.events.findIndex((e) => e.type === 'endpoint' && e.settled);
    expect(w.events.findIndex((e) => e.type === 'evict-attempt')).toBeGreaterThan(settledAt);
  });

  it('eviction 429 then accepted: the pod is evicted and watched until gone', async () => {
    const w = world();
    w.kube.evictions.set('conduit-2', [{ kind: 'blocked-by-pdb', message: 'budget' }, { kind: 'evicted' }]);
    const result = await w.run(['conduit-2'], { then: 'evict' });
    expect(result.outcome).toBe('removed');
    expect(w.kube.callsOf('evict')).toHaveLength(2);
    expect(w.events).toContainEqual({ type: 'gone', instance: 'conduit-2', how: 'not-found' });
  });

  it('eviction 429 with retryAfterSeconds 10: waits ≥ 10 s and is not counted as a PDB denial', async () => {
    const w = world();
    w.kube.evictions.set('conduit-2', [{ kind: 'throttled', retryAfterMs: 10_000, message: 'still being processed' }, { kind: 'evicted' }]);
    const result = await w.run(['conduit-2'], { then: 'evict' });
    expect(result.outcome).toBe('removed');
    const [first, second] = w.kube.callsOf('evict').map((c) => c.at);
    expect(second! - first!).toBeGreaterThanOrEqual(10_000);
    expect(w.events.some((e) => e.type === 'evict-blocked')).toBe(false);
  });

  it('eviction 500 (two PDBs): fail fast, exit 3, no delete', async () => {
    const w = world();
    w.kube.evictions.set('conduit-2', [new RefusedError('eviction of conduit-2 failed: 500 This pod has more than one PodDisruptionBudget')]);
    const result = await w.run(['conduit-2'], { then: 'evict' });
    expect(result.outcome).toBe('refused');
    expect(exitCodeOf(result)).toBe(3);
    expect(result.message).toContain('more than one PodDisruptionBudget');
    expect(w.kube.callsOf('evict')).toHaveLength(1);
    expect(w.kube.callsOf('deletePod')).toEqual([]);
  });

  it('pod NotFound when evicting: success for that pod', async () => {
    const w = world();
    w.kube.evictions.set('conduit-2', [{ kind: 'gone' }]);
    const result = await w.run(['conduit-2'], { then: 'evict' });
    expect(result.outcome).toBe('removed');
    expect(result.removals).toContainEqual(expect.objectContaining({ name: 'conduit-2', removal: 'gone' }));
  });

  it('pod re-created with the same name, new UID, during --then delete: the old pod counts as gone, the new one is never deleted', async () => {
    const w = world();
    w.kube.onPodRemoved = 'recreate';
    const result = await w.run(['conduit-2'], { then: 'delete' });
    expect(result.outcome).toBe('removed');
    expect(w.events).toContainEqual({ type: 'gone', instance: 'conduit-2', how: 'replaced' });
    expect(w.kube.callsOf('deletePod')).toHaveLength(1);
    expect(w.kube.callsOf('deletePod')[0]!.detail).toBe('conduit-2@uid-conduit-2-1');
  });

  it('--then delete sends the uid precondition: a pod replaced before the delete is not deleted', async () => {
    const w = world();
    const result = await w.run(['conduit-2'], {
      then: 'delete',
      onEvent: (e) => {
        if (e.type === 'drain' && e.event.type === 'stable-zero') w.fleet.recreate('conduit-2');
      },
    });
    // the re-created pod is a new pod that was never drained: not removed
    expect(result.outcome).toBe('timeout');
    expect(w.kube.callsOf('deletePod')).toEqual([]);
  });

  it('SIGINT during the drain: undrained, exit 130, nothing evicted', async () => {
    const w = world();
    w.gateway.set('conduit-2', { counts: [40] });
    const result = await w.run(['conduit-2'], {
      then: 'evict',
      onEvent: (e) => {
        if (e.type === 'drain' && e.event.type === 'progress' && e.event.elapsedMs >= 1_000) w.abort.abort(new Error('SIGINT'));
      },
    });
    expect(result.outcome).toBe('interrupted');
    expect(exitCodeOf(result)).toBe(130);
    expect(w.gateway.callsOf('undrain', 'conduit-2')).toHaveLength(1);
    expect(w.kube.callsOf('evict')).toEqual([]);
  });
});
