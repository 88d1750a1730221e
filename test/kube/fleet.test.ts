import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/ops/errors.js';
import { createPod, createStatefulSet, createStatefulSetWithPods, startSimWorld, type SimWorld } from './support.js';

let world: SimWorld;
beforeAll(async () => {
  world = await startSimWorld();
});
afterAll(async () => {
  await world.close();
});

describe('KubeFleet.resolve', () => {
  it('sts/NAME: only pods owned by that StatefulSet, sorted by ordinal (10 after 2)', async () => {
    const { sim } = world;
    const kube = await world.connect('fleet-sts');
    const { sts } = createStatefulSetWithPods(sim, 'fleet-sts', 'gw', 11);
    // Same labels, not owned by the StatefulSet: must not be drained as if it were.
    createPod(sim, 'fleet-sts', { name: 'gw-impostor', labels: { app: 'gw' } });
    const other = createStatefulSet(sim, 'fleet-sts', 'other', 1);
    createPod(sim, 'fleet-sts', { name: 'gw-99', labels: { app: 'gw' }, owner: other });

    const instances = await kube.fleet.resolve({ kind: 'workload', workloadKind: 'statefulset', name: 'gw' });
    expect(instances.map((i) => i.name)).toEqual(Array.from({ length: 11 }, (_, i) => `gw-${i}`));
    expect(instances.map((i) => i.ordinal)).toEqual(Array.from({ length: 11 }, (_, i) => i));
    const first = instances[0]!;
    const stored = sim.store.get('Pod', 'fleet-sts', 'gw-0')!;
    expect(first).toMatchObject({
      name: 'gw-0',
      address: '127.0.20.1',
      uid: stored.metadata.uid,
      ready: true,
      phase: 'Running',
      restarts: 0,
      revision: 'gw-abc123',
      ordinal: 0,
    });
    expect(first.createdAtMs).toBe(Date.parse(stored.metadata.creationTimestamp!));
    expect(first.deletionTimestamp).toBeUndefined();
    expect(sts.metadata.uid).toBeDefined();
  });

  it('reports restarts as the sum over containers, readiness and terminating pods', async () => {
    const { sim } = world;
    const kube = await world.connect('fleet-fields');
    const sts = createStatefulSet(sim, 'fleet-fields', 'gw', 2);
    createPod(sim, 'fleet-fields', { name: 'gw-0', labels: { app: 'gw' }, owner: sts, restarts: [2, 3] });
    createPod(sim, 'fleet-fields', { name: 'gw-1', labels: { app: 'gw' }, owner: sts, ready: false });
    sim.store.delete('Pod', 'fleet-fields', 'gw-1', { gracePeriodSeconds: 30 });

    const [zero, one] = await kube.fleet.resolve({ kind: 'workload', workloadKind: 'statefulset', name: 'gw' });
    expect(zero!.restarts).toBe(5);
    expect(one!.ready).toBe(false);
    expect(one!.deletionTimestamp).toBe(new Date(sim.store.get('Pod', 'fleet-fields', 'gw-1')!.metadata.deletionTimestamp!).toISOString());
  });

  it('sts/NAME that does not exist → UsageError naming it and the namespace', async () => {
    const kube = await world.connect('fleet-missing');
    const error = await kube.fleet.resolve({ kind: 'workload', workloadKind: 'statefulset', name: 'nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain('statefulset "nope"');
    expect((error as Error).message).toContain('"fleet-missing"');
  });

  it('names: every pod must exist; the missing one and the namespace are named', async () => {
    const kube = await world.connect('fleet-names');
    createStatefulSetWithPods(world.sim, 'fleet-names', 'gw', 3);
    const found = await kube.fleet.resolve({ kind: 'names', names: ['gw-2', 'gw-0'] });
    expect(found.map((i) => i.name)).toEqual(['gw-0', 'gw-2']);

    const error = await kube.fleet.resolve({ kind: 'names', names: ['gw-1', 'gw-7'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain('"gw-7"');
    expect((error as Error).message).not.toContain('"gw-1"');
    expect((error as Error).message).toContain('namespace "fleet-names"');
  });

  it('names are validated before any URL is built', async () => {
    const kube = await world.connect('fleet-bad-names');
    world.sim.controls.clearRequestLog();
    for (const bad of ['a/../b', 'UPPER', 'with space', 'x'.repeat(254)]) {
      await expect(kube.fleet.resolve({ kind: 'names', names: [bad] })).rejects.toBeInstanceOf(UsageError);
    }
    expect(world.sim.controls.requestLog()).toEqual([]);
  });

  it('selector: the pods it selects, sorted', async () => {
    const kube = await world.connect('fleet-selector');
    createStatefulSetWithPods(world.sim, 'fleet-selector', 'gw', 3);
    createPod(world.sim, 'fleet-selector', { name: 'web-0', labels: { app: 'web' } });
    const instances = await kube.fleet.resolve({ kind: 'selector', selector: 'app=gw' });
    expect(instances.map((i) => i.name)).toEqual(['gw-0', 'gw-1', 'gw-2']);
    const notIn = await kube.fleet.resolve({ kind: 'selector', selector: 'app notin (gw)' });
    expect(notIn.map((i) => i.name)).toEqual(['web-0']);
  });

  it('all → UsageError asking for a workload or selector', async () => {
    const kube = await world.connect('fleet-all');
    await expect(kube.fleet.resolve({ kind: 'all' })).rejects.toThrow(/workload.*selector/);
  });

  it('get(): the pod, or undefined once it is gone', async () => {
    const kube = await world.connect('fleet-get');
    createStatefulSetWithPods(world.sim, 'fleet-get', 'gw', 1);
    expect((await kube.fleet.get('gw-0'))?.name).toBe('gw-0');
    world.sim.store.delete('Pod', 'fleet-get', 'gw-0', { gracePeriodSeconds: 0 });
    expect(await kube.fleet.get('gw-0')).toBeUndefined();
  });

  it('describe(): cluster, context and namespace for the plan header', async () => {
    const kube = await world.connect('fleet-describe');
    expect(kube.describe()).toEqual({
      kind: 'kubernetes',
      source: `cluster sim (${world.sim.url}), context sim, namespace fleet-describe`,
      cluster: 'sim',
      context: 'sim',
      namespace: 'fleet-describe',
    });
    expect(kube.fleet.describe()).toEqual(kube.describe());
  });
});
