import { describe, expect, it } from 'vitest';
import { planScale, type ScalePlanInput } from '../../../src/ops/scale/index.js';
import type { Count, Instance, StatefulSetInfo } from '../../../src/ops/ports/index.js';
import { fakeInstances } from '../../support/fakes/index.js';

const statefulSet: StatefulSetInfo = {
  name: 'conduit',
  namespace: 'realtime',
  uid: 'sts-1',
  resourceVersion: '7',
  generation: 1,
  observedGeneration: 1,
  replicas: 3,
  readyReplicas: 3,
  currentReplicas: 3,
  updatedReplicas: 3,
  podManagementPolicy: 'OrderedReady',
  terminationGracePeriodSeconds: 60,
  selector: 'app=conduit',
  annotations: {},
};

function input(requested: number, change: Partial<ScalePlanInput> = {}, counts: number[] = [10, 20, 30]): ScalePlanInput {
  const pods = change.pods ?? fakeInstances(3);
  return {
    statefulSet,
    scale: { replicas: 3, statusReplicas: 3, resourceVersion: '42' },
    pods,
    counts: new Map(pods.map((p, i): [string, Count] => [p.name, { known: true, value: counts[i] ?? 0 }])),
    hpas: [],
    pdbs: [],
    denied: [],
    requested,
    policy: { allowHpa: false, allowZero: false, minDrainMs: 10_000, pollIntervalMs: 1_000, stableZeroPolls: 3 },
    ...change,
  };
}

const stoppers = (plan: ReturnType<typeof planScale>) => plan.findings.filter((f) => f.level === 'refuse' || f.level === 'usage').map((f) => f.check);

describe('planScale', () => {
  it('scale-down victims are the highest ordinals, highest first, with their connections', () => {
    const plan = planScale(input(1));
    expect(plan.direction).toBe('down');
    expect(plan.victims.map((v) => [v.name, v.connections])).toEqual([
      ['conduit-2', { known: true, value: 30 }],
      ['conduit-1', { known: true, value: 20 }],
    ]);
    expect(plan.survivors).toEqual(['conduit-0']);
    expect(plan.connectionsToMove).toBe(50);
    expect(plan.resourceVersion).toBe('42');
    expect(plan.estimatedDrainMs).toBe(10_000);
    expect(plan.verdict).toBe('proceed');
  });

  it('an unknown victim count makes the connections to move unknown, never 0', () => {
    const plan = planScale(input(2, { counts: new Map([['conduit-2', { known: false, reason: 'timed out' }]]) }));
    expect(plan.victims[0]!.connections.known).toBe(false);
    expect(plan.connectionsToMove).toBeNull();
  });

  it('scale to ≥ current: up has no victims; equal is a no-op', () => {
    expect(planScale(input(5))).toMatchObject({ direction: 'up', victims: [], verdict: 'proceed' });
    expect(planScale(input(3))).toMatchObject({ direction: 'none', victims: [], verdict: 'none' });
  });

  it('negative or fractional replicas: a usage verdict (the command exits 2, test/cli)', () => {
    for (const n of [-1, 1.5, Number.NaN]) {
      const plan = planScale(input(n));
      expect(plan.verdict).toBe('usage');
      expect(stoppers(plan)).toEqual(['replicas']);
    }
  });

  it('HPA targets the StatefulSet: refused unless --allow-hpa (then a warning)', () => {
    const hpas = [{ name: 'conduit-hpa', minReplicas: 2, maxReplicas: 10 }];
    const refused = planScale(input(2, { hpas }));
    expect(refused.verdict).toBe('refused');
    expect(refused.findings[0]).toMatchObject({ check: 'hpa', level: 'refuse' });
    expect(refused.findings[0]!.message).toContain('conduit-hpa');
    expect(refused.findings[0]!.hint).toContain('--allow-hpa');
    const allowed = planScale(input(2, { hpas, policy: { ...input(2).policy, allowHpa: true } }));
    expect(allowed.verdict).toBe('proceed');
    expect(allowed.findings).toEqual([expect.objectContaining({ check: 'hpa', level: 'warn' })]);
  });

  it('scale to 0 is refused (floor 1) unless --allow-zero', () => {
    expect(stoppers(planScale(input(0)))).toEqual(['floor']);
    expect(planScale(input(0, { policy: { ...input(0).policy, allowZero: true } })).verdict).toBe('proceed');
  });

  it('below a PodDisruptionBudget minAvailable is refused', () => {
    const pdb = { name: 'conduit-pdb', selector: 'app=conduit', minAvailable: 2, currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3 };
    const plan = planScale(input(1, { pdbs: [pdb] }));
    expect(stoppers(plan)).toEqual(['pdb']);
    expect(plan.findings[0]!.message).toContain('conduit-pdb');
    expect(planScale(input(2, { pdbs: [pdb] })).verdict).toBe('proceed');
  });

  it('terminationGracePeriodSeconds 0 is refused; shorter than the drain is a warning', () => {
    const zero = planScale(input(2, { statefulSet: { ...statefulSet, terminationGracePeriodSeconds: 0 } }));
    expect(stoppers(zero)).toEqual(['grace-period']);
    const short = planScale(input(2, { statefulSet: { ...statefulSet, terminationGracePeriodSeconds: 5 } }));
    expect(short.verdict).toBe('proceed');
    expect(short.findings).toEqual([expect.objectContaining({ check: 'grace-period', level: 'warn' })]);
  });

  it('RBAC forbids a needed verb: refused, naming the verb and resource', () => {
    const denied = [{ verb: 'patch', group: 'apps', resource: 'statefulsets', subresource: 'scale', name: 'conduit' }];
    const plan = planScale(input(2, { denied }));
    expect(stoppers(plan)).toEqual(['rbac']);
    expect(plan.findings[0]!.message).toBe('not allowed to patch statefulsets/scale.apps "conduit"');
  });

  it("survivors' capacity below the connections to move is refused; unknown survivor load is no room", () => {
    const annotated = { ...statefulSet, annotations: { 'conduit.dev/max-connections': '100' } };
    // survivor conduit-0 holds 90 of 100; victims hold 20 + 30
    const refused = planScale(input(1, { statefulSet: annotated }, [90, 20, 30]));
    expect(refused.capacity).toEqual({ perPod: 100, free: 10, survivorsCounted: 1 });
    expect(stoppers(refused)).toEqual(['capacity']);
    expect(planScale(input(2, { statefulSet: annotated }, [10, 20, 30])).verdict).toBe('proceed');
    const unknownLoad = planScale(input(2, { statefulSet: annotated, counts: new Map([['conduit-2', { known: true, value: 30 }]]) }));
    expect(unknownLoad.capacity!.free).toBe(0);
    expect(unknownLoad.verdict).toBe('refused');
  });

  it('capacity is not checked when unknown (no annotation, no flag)', () => {
    const plan = planScale(input(1, {}, [1000, 1000, 1000]));
    expect(plan.capacity).toBeNull();
    expect(plan.verdict).toBe('proceed');
  });

  it('pod already terminating at drain start: reported with its grace end, not counted as capacity', () => {
    const pods: Instance[] = fakeInstances(3).map((p) =>
      p.name === 'conduit-0' || p.name === 'conduit-2' ? { ...p, deletionTimestamp: '2026-01-01T00:01:00Z' } : p,
    );
    const annotated = { ...statefulSet, annotations: { 'conduit.dev/max-connections': '100' } };
    const plan = planScale(input(2, { pods, statefulSet: annotated }, [0, 10, 30]));
    expect(plan.victims[0]).toMatchObject({ name: 'conduit-2', terminating: true, graceEndsAt: '2026-01-01T00:01:00Z' });
    expect(plan.capacity).toMatchObject({ survivorsCounted: 1, free: 90 });
    expect(plan.connectionsToMove).toBe(0);
    expect(plan.findings.map((f) => f.message)).toEqual([
      'conduit-0 is terminating (grace ends 2026-01-01T00:01:00Z): not counted as capacity',
      'conduit-2 is already terminating (grace ends 2026-01-01T00:01:00Z): it is not drained again',
    ]);
  });

  it('asked to remove a non-highest ordinal: refused, explaining the StatefulSet removes the highest first', () => {
    const plan = planScale(input(2, { policy: { ...input(2).policy, remove: ['conduit-1'] } }));
    expect(stoppers(plan)).toEqual(['victims']);
    expect(plan.findings[0]!.message).toContain('a StatefulSet always removes its highest ordinals first');
    expect(plan.findings[0]!.message).toContain('conduit-2');
  });

  it('pod not owned by the named StatefulSet: refused', () => {
    const plan = planScale(input(2, { policy: { ...input(2).policy, remove: ['other-2'] } }));
    expect(plan.verdict).toBe('refused');
    expect(stoppers(plan)).toEqual(['victims']);
    expect(plan.findings[0]!.message).toBe('other-2 is not a pod of statefulset conduit');
    expect(planScale(input(2, { policy: { ...input(2).policy, remove: ['conduit-2'] } })).verdict).toBe('proceed');
  });

  it('a missing victim pod has nothing to drain', () => {
    const plan = planScale(input(1, { pods: fakeInstances(2) }));
    expect(plan.victims.map((v) => [v.name, v.exists])).toEqual([
      ['conduit-2', false],
      ['conduit-1', true],
    ]);
  });
});
