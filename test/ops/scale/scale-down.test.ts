import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/ops/errors.js';
import { workloadLockName } from '../../../src/ops/workload-lock/index.js';
import { exitCodeOf, scaleWorld } from './support.js';
import { exitCodeFor } from '../../../src/cli/exit-codes.js';

describe('scale down', () => {
  it('waits while the victim holds connections and writes only after a stable zero, with the plan-time resourceVersion', async () => {
    const w = scaleWorld(3);
    w.gateway.set('conduit-2', { counts: [5, 5, 3, 1, 0] });
    const result = await w.run({ replicas: 2 });

    expect(result.outcome).toBe('scaled');
    expect(result.written).toBe(true);
    expect(w.kube.callsOf('setReplicas').map((c) => c.detail)).toEqual([`conduit=2@${result.plan.resourceVersion}`]);
    const trace = w.trace();
    expect(trace[0]).toBe('plan');
    expect(trace.indexOf('write-attempt')).toBeGreaterThan(trace.indexOf('drain:stable-zero:conduit-2'));
    expect(trace.indexOf('write-attempt')).toBeGreaterThan(trace.indexOf('victim-zero-confirmed:conduit-2'));
    expect(trace).toContain('terminated:conduit-2');
    expect(result.victims).toEqual([{ name: 'conduit-2', state: 'removed', connections: { known: true, value: 0 } }]);
    expect(w.kube.statefulSet.replicas).toBe(2);
    expect(w.kube.leases.size).toBe(0); // released
  });

  it('prints the plan before any mutating request (the plan event comes first)', async () => {
    const w = scaleWorld(3);
    let mutatingBeforePlan = -1;
    await w.run({ onEvent: (e) => (e.type === 'plan' ? (mutatingBeforePlan = w.kube.mutatingCalls.length + w.gateway.callsOf('drain').length) : undefined) });
    expect(mutatingBeforePlan).toBe(0);
  });

  it('unknown is never zero: a victim whose count stays unknown is never scaled away (exit 4)', async () => {
    const w = scaleWorld(3);
    w.gateway.set('conduit-2', { counts: ['unknown'] });
    const result = await w.run({ settings: { ...baseSettings(), timeoutMs: 10_000 } });
    expect(result.outcome).toBe('timeout');
    expect(exitCodeOf(result)).toBe(4);
    expect(w.kube.callsOf('setReplicas')).toEqual([]);
    expect(result.message).toContain('conduit-2 draining, connections unknown, not removed');
  });

  it('the direct read just before the write must be a known 0: a late connection blocks the write', async () => {
    const w = scaleWorld(3);
    w.gateway.set('conduit-2', { counts: [0] });
    const result = await w.run({
      onEvent: (e) => {
        if (e.type === 'drain' && e.event.type === 'stable-zero') w.gateway.set('conduit-2', { counts: [1] });
      },
    });
    expect(result.outcome).toBe('timeout');
    expect(result.message).toContain('conduit-2 held 1 connection at the final check');
    expect(w.kube.callsOf('setReplicas')).toEqual([]);
  });

  it('podManagementPolicy Parallel: every victim at stable zero before the write', async () => {
    const w = scaleWorld(4, { policy: 'Parallel' });
    w.gateway.set('conduit-3', { counts: [2, 0] });
    w.gateway.set('conduit-2', { counts: [9, 9, 9, 9, 9, 9, 9, 4, 0] });
    const result = await w.run({ replicas: 2 });
    expect(result.outcome).toBe('scaled');
    const trace = w.trace();
    const write = trace.indexOf('write-attempt');
    expect(write).toBeGreaterThan(trace.indexOf('drain:stable-zero:conduit-3'));
    expect(write).toBeGreaterThan(trace.indexOf('drain:stable-zero:conduit-2'));
    expect(result.victims.map((v) => [v.name, v.state])).toEqual([
      ['conduit-3', 'removed'],
      ['conduit-2', 'removed'],
    ]);
  });

  it('scale write 409 (a colleague changed replicas): re-read, replicas differ → conflict naming the change, never overwritten', async () => {
    const w = scaleWorld(3);
    w.kube.beforeWrite = (attempt) => attempt === 1 && w.kube.scaleBy('colleague', 4);
    const result = await w.run();
    expect(result.outcome).toBe('conflict');
    expect(result.message).toContain('spec.replicas changed from 3 to 4');
    expect(w.kube.callsOf('setReplicas')).toHaveLength(1);
    expect(w.kube.statefulSet.replicas).toBe(4);
    // the abandoned scale gives its victim back to the load balancer
    expect(w.gateway.callsOf('undrain', 'conduit-2')).toHaveLength(1);
    expect(result.victims[0]).toMatchObject({ name: 'conduit-2', state: 'undrained' });
  });

  it('scale write 409 (an HPA changed replicas, --allow-hpa): re-read, replicas differ → conflict naming the change, never overwritten', async () => {
    const w = scaleWorld(3);
    w.kube.hpas = [{ name: 'conduit', minReplicas: 2, maxReplicas: 6 }];
    w.kube.beforeWrite = (attempt) => attempt === 1 && w.kube.scaleBy('hpa', 5);
    const result = await w.run({ allowHpa: true });
    expect(result.outcome).toBe('conflict');
    expect(result.message).toContain('spec.replicas changed from 3 to 5');
    expect(w.kube.callsOf('setReplicas')).toHaveLength(1);
    expect(w.kube.statefulSet.replicas).toBe(5);
    expect(result.victims[0]).toMatchObject({ name: 'conduit-2', state: 'undrained' });
  });

  it('stale resourceVersion in the scale write: 409, every precondition re-checked, retried with the new version', async () => {
    const w = scaleWorld(3);
    w.kube.beforeWrite = (attempt) => attempt === 1 && w.kube.touch();
    const result = await w.run();
    expect(result.outcome).toBe('scaled');
    const writes = w.kube.callsOf('setReplicas').map((c) => c.detail);
    expect(writes).toHaveLength(2);
    expect(writes[0]).not.toEqual(writes[1]);
    expect(w.trace().filter((t) => t === 'victim-zero-confirmed:conduit-2')).toHaveLength(2);
    expect(w.trace()).toContain('conflict-retry');
  });

  it('409 on every write: at most 5 attempts, then conflict (exit 5)', async () => {
    const w = scaleWorld(3);
    w.kube.spuriousConflicts = 100;
    const result = await w.run();
    expect(result.outcome).toBe('conflict');
    expect(exitCodeOf(result)).toBe(5);
    expect(result.writeAttempts).toBe(5);
    expect(w.kube.callsOf('setReplicas')).toHaveLength(5);
  });

  it('a victim re-created (new uid) between the drain and the write: conflict, no write', async () => {
    const w = scaleWorld(3);
    const result = await w.run({
      onEvent: (e) => {
        if (e.type === 'drain' && e.event.type === 'stable-zero') w.fleet.recreate('conduit-2');
      },
    });
    expect(w.kube.callsOf('setReplicas')).toEqual([]);
    expect(result.outcome).toBe('conflict');
    expect(result.message).toContain('conduit-2 was re-created');
  });

  it('a victim restarts mid-drain: its connections were dropped, nothing is scaled', async () => {
    const w = scaleWorld(3);
    w.gateway.set('conduit-2', { counts: [4, 4, 4, 4] });
    let restarted = false;
    const result = await w.run({
      onEvent: (e) => {
        if (!restarted && e.type === 'drain' && e.event.type === 'poll') {
          restarted = true;
          w.fleet.restart('conduit-2');
          w.gateway.restartProcess('conduit-2');
        }
      },
    });
    expect(result.outcome).toBe('restarted');
    expect(w.kube.callsOf('setReplicas')).toEqual([]);
  });

  it('--dry-run: the plan only, zero mutating requests (no lease, no drain, no write)', async () => {
    const w = scaleWorld(3);
    w.gateway.set('conduit-2', { connections: 12 });
    const result = await w.run({ dryRun: true });
    expect(result.outcome).toBe('planned');
    expect(result.plan.victims[0]).toMatchObject({ name: 'conduit-2', connections: { known: true, value: 12 } });
    expect(w.kube.mutatingCalls).toEqual([]);
    expect(w.gateway.calls.filter((c) => c.op !== 'connections' && c.op !== 'health')).toEqual([]);
  });

  it('two operators at once: a held Lease refuses the second, naming the holder and since when', async () => {
    const w = scaleWorld(3);
    const since = w.clock.wallNow() - 30_000;
    w.kube.leases.set(workloadLockName('statefulset', 'conduit'), { holder: 'conduitctl@alice-laptop/4242', acquiredAtMs: since, renewedAtMs: w.clock.wallNow(), durationSeconds: 60 });
    const result = await w.run();
    expect(result.outcome).toBe('refused');
    expect(result.message).toContain('conduitctl@alice-laptop/4242');
    expect(result.message).toContain(new Date(since).toISOString());
    expect(w.gateway.callsOf('drain')).toEqual([]);
    expect(w.kube.callsOf('setReplicas')).toEqual([]);
  });

  it('a stale Lease (expired) is taken over', async () => {
    const w = scaleWorld(3);
    const old = w.clock.wallNow() - 600_000;
    w.kube.leases.set(workloadLockName('statefulset', 'conduit'), { holder: 'conduitctl@gone/1', acquiredAtMs: old, renewedAtMs: old, durationSeconds: 60 });
    expect((await w.run()).outcome).toBe('scaled');
  });

  it('HPA targets the StatefulSet: refused (exit 3) before any mutation', async () => {
    const w = scaleWorld(3);
    w.kube.hpas = [{ name: 'conduit', minReplicas: 3, maxReplicas: 6 }];
    const result = await w.run();
    expect(result.outcome).toBe('refused');
    expect(exitCodeOf(result)).toBe(3);
    expect(result.message).toContain('HorizontalPodAutoscaler conduit');
    expect(w.kube.mutatingCalls).toEqual([]);
    expect(w.gateway.callsOf('drain')).toEqual([]);
  });

  it('RBAC forbids a needed verb: preflight refuses before any mutation', async () => {
    const w = scaleWorld(3);
    w.kube.deny = (check) => check.resource === 'statefulsets' && check.subresource === 'scale' && check.verb === 'patch';
    const result = await w.run();
    expect(result.outcome).toBe('refused');
    expect(result.message).toContain('not allowed to patch statefulsets/scale.apps "conduit"');
    expect(w.kube.mutatingCalls).toEqual([]);
  });

  it.each([
    ['below the floor of 1', 0, [], 'floor'],
    ['below a PodDisruptionBudget minAvailable', 1, [{ name: 'conduit-pdb', selector: 'app=conduit', minAvailable: 2, currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3 }], 'conduit-pdb'],
  ])('scale %s: refused (exit 3), no drain and no write', async (_case, replicas, pdbs, named) => {
    const w = scaleWorld(3);
    w.kube.pdbs = pdbs;
    const result = await w.run({ replicas });
    expect(result.outcome).toBe('refused');
    expect(exitCodeOf(result)).toBe(3);
    expect(result.message).toContain(named);
    expect(w.kube.mutatingCalls).toEqual([]);
    expect(w.gateway.callsOf('drain')).toEqual([]);
  });

  it('StatefulSet missing: a usage error (exit 2) naming it, nothing mutated', async () => {
    const w = scaleWorld(3);
    const error = await w.run({ name: 'conduitt' }).then(
      (result) => result,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect(exitCodeFor(error)).toBe(2);
    expect((error as Error).message).toContain('conduitt');
    expect(w.kube.mutatingCalls).toEqual([]);
    expect(w.gateway.callsOf('drain')).toEqual([]);
  });

  it('scale to the current size: no-op success, nothing touched', async () => {
    const w = scaleWorld(3);
    const result = await w.run({ replicas: 3 });
    expect(result.outcome).toBe('unchanged');
    expect(w.kube.mutatingCalls).toEqual([]);
  });

  it('SIGINT during the drain wait: stop, undrain what this run drained, describe, no write', async () => {
    const w = scaleWorld(3);
    w.gateway.set('conduit-2', { counts: [312] });
    const result = await w.run({
      onEvent: (e) => {
        if (e.type === 'drain' && e.event.type === 'progress' && e.event.elapsedMs >= 2_000) w.abort.abort(new Error('SIGINT'));
      },
    });
    expect(result.outcome).toBe('interrupted');
    expect(result.message).toContain('conduit-2 undrained, 312 connections, not removed');
    expect(w.gateway.callsOf('undrain', 'conduit-2')).toHaveLength(1);
    expect(w.kube.callsOf('setReplicas')).toEqual([]);
    expect(w.kube.leases.size).toBe(0);
  });

  it('SIGINT with --keep-draining leaves the victim draining', async () => {
    const w = scaleWorld(3);
    w.gateway.set('conduit-2', { counts: [312] });
    const result = await w.run({
      keepDraining: true,
      onEvent: (e) => {
        if (e.type === 'drain' && e.event.type === 'progress' && e.event.elapsedMs >= 2_000) w.abort.abort(new Error('SIGINT'));
      },
    });
    expect(result.outcome).toBe('interrupted');
    expect(w.gateway.callsOf('undrain')).toEqual([]);
    expect(result.message).toContain('conduit-2 draining, 312 connections, not removed');
  });
});

function baseSettings() {
  return { timeoutMs: 60_000, pollIntervalMs: 500, minDrainMs: 2_000, stableZeroPolls: 3, confirmTimeoutMs: 10_000, maxWriteAttempts: 5, stallAfterMs: 5_000, leaseDurationSeconds: 60 };
}
