// Each command's outcome → exit code, in process: the real run functions over fakes of the ports
// (test/support/cli: buffered streams, fake adapters, a fake clock that moves when they wait).
import { describe, expect, it } from 'vitest';
import { workloadLockName } from '../../src/ops/workload-lock/index.js';
import { runInProcess, type FakeWorld } from '../support/cli/index.js';
import { FakeClock, FakeFleet, FakeGateway, FakeWorkloads, fakeInstances } from '../support/fakes/index.js';
import type { Sample, StickySampler } from '../../src/ops/ports/index.js';

const FLEET = ['--instances', 'conduit-0=http://127.0.35.1:9,conduit-1=http://127.0.35.2:9'];
const FAST = ['--min-drain-time', '2s', '--poll-interval', '500ms'];

function fileWorld(clock: FakeClock) {
  const gateway = new FakeGateway({ clock });
  return { gateway, world: { staticFleet: new FakeFleet(fakeInstances(2)), gateway } satisfies FakeWorld };
}

function kubeWorld(clock: FakeClock, n = 3) {
  const fleet = new FakeFleet(fakeInstances(n), { description: { kind: 'kubernetes', source: 'fake cluster', cluster: 'fake', context: 'fake', namespace: 'default' } });
  const workloads = new FakeWorkloads({ fleet, clock, statefulSet: { replicas: n } });
  const gateway = new FakeGateway({ clock });
  return { fleet, workloads, gateway, world: { kube: { fleet, workloads }, gateway } satisfies FakeWorld };
}

describe('drain (fleet file / instances)', () => {
  it('drained → 0, the report on stdout', async () => {
    const clock = new FakeClock();
    const { world } = fileWorld(clock);
    const result = await runInProcess(['drain', 'conduit-0', ...FLEET, ...FAST, '-o', 'json'], { world, clock });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ kind: 'DrainReport', outcome: 'drained' });
  });

  it('connections that never leave → timeout, exit 4, naming what is left', async () => {
    const clock = new FakeClock();
    const { world, gateway } = fileWorld(clock);
    gateway.set('conduit-0', { connections: 7 });
    const result = await runInProcess(['drain', 'conduit-0', ...FLEET, ...FAST, '--timeout', '10s'], { world, clock });
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain('timed out after 10s: conduit-0 still draining, 7 connections, not removed');
  });

  it('/health never says draining → refused, exit 3', async () => {
    const clock = new FakeClock();
    const { world, gateway } = fileWorld(clock);
    gateway.set('conduit-0', { ignoreDrain: true });
    const result = await runInProcess(['drain', 'conduit-0', ...FLEET, ...FAST], { world, clock });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('/health never reported "draining"');
  });

  it('a restart while draining → exit 1', async () => {
    const clock = new FakeClock();
    const { world, gateway } = fileWorld(clock);
    const fleet = world.staticFleet;
    gateway.set('conduit-0', { connections: 3 });
    clock.sleep(1_000).then(() => {
      fleet.restart('conduit-0');
      gateway.restartProcess('conduit-0');
    });
    const result = await runInProcess(['drain', 'conduit-0', ...FLEET, ...FAST], { world, clock });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('restarted while draining');
  });

  it('Ctrl-C → exit 130, undrained', async () => {
    const clock = new FakeClock();
    const { world, gateway } = fileWorld(clock);
    gateway.set('conduit-0', { connections: 3 });
    const abort = new AbortController();
    clock.sleep(2_000).then(() => abort.abort(new Error('SIGINT')));
    const result = await runInProcess(['drain', 'conduit-0', ...FLEET, ...FAST], { world, clock, signal: abort.signal });
    expect(result.code, result.stderr).toBe(130);
    expect(gateway.callsOf('undrain', 'conduit-0')).toHaveLength(1);
  });
});

describe('scale (Kubernetes)', () => {
  it('a StatefulSet that does not exist → exit 2, nothing written', async () => {
    const clock = new FakeClock();
    const { world, workloads } = kubeWorld(clock);
    const result = await runInProcess(['scale', 'sts/nope', '--replicas', '2'], { world, clock });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('statefulset "nope" not found');
    expect(workloads.callsOf('setReplicas')).toEqual([]);
  });

  it('--dry-run → planned, exit 0, no lease, no write', async () => {
    const clock = new FakeClock();
    const { world, workloads } = kubeWorld(clock);
    const result = await runInProcess(['scale', 'sts/conduit', '--replicas', '2', '--dry-run'], { world, clock });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('dry run: would scale statefulset conduit from 3 to 2');
    expect(workloads.leases.size).toBe(0);
  });

  it('an HPA owns the replicas → refused, exit 3', async () => {
    const clock = new FakeClock();
    const { world, workloads } = kubeWorld(clock);
    workloads.hpas = [{ name: 'conduit', minReplicas: 2, maxReplicas: 6 }];
    const result = await runInProcess(['scale', 'sts/conduit', '--replicas', '2'], { world, clock });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('HorizontalPodAutoscaler conduit');
  });

  it('another operator holds the lock → refused, exit 3, naming the holder', async () => {
    const clock = new FakeClock();
    const { world, workloads } = kubeWorld(clock);
    workloads.leases.set(workloadLockName('statefulset', 'conduit'), { holder: 'conduitctl@alice/42', acquiredAtMs: clock.wallNow(), renewedAtMs: clock.wallNow(), durationSeconds: 60 });
    const result = await runInProcess(['scale', 'sts/conduit', '--replicas', '2', ...FAST], { world, clock });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('conduitctl@alice/42');
  });

  it('a victim that keeps its clients → timeout, exit 4, nothing written', async () => {
    const clock = new FakeClock();
    const { world, workloads, gateway } = kubeWorld(clock);
    gateway.set('conduit-2', { connections: 5 });
    const result = await runInProcess(['scale', 'sts/conduit', '--replicas', '2', ...FAST, '--timeout', '20s'], { world, clock });
    expect(result.code, result.stderr).toBe(4);
    expect(workloads.callsOf('setReplicas')).toEqual([]);
  });

  it('a colleague scaled meanwhile (409, replicas moved) → conflict, exit 5', async () => {
    const clock = new FakeClock();
    const { world, workloads } = kubeWorld(clock);
    workloads.beforeWrite = (attempt) => attempt === 1 && workloads.scaleBy('colleague', 4);
    const result = await runInProcess(['scale', 'sts/conduit', '--replicas', '2', ...FAST], { world, clock });
    expect(result.code, result.stderr).toBe(5);
    expect(result.stderr).toContain('spec.replicas changed from 3 to 4');
  });

  it('3 → 2 with an empty victim → scaled, exit 0', async () => {
    const clock = new FakeClock();
    const { world } = kubeWorld(clock);
    const result = await runInProcess(['scale', 'sts/conduit', '--replicas', '2', ...FAST], { world, clock });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('statefulset conduit scaled from 3 to 2');
  });
});

describe('status', () => {
  it('prints one row per instance and exits 0; an unreadable count is unknown, never 0', async () => {
    const clock = new FakeClock();
    const { world, gateway } = fileWorld(clock);
    gateway.set('conduit-0', { connections: 4 });
    gateway.set('conduit-1', { counts: ['unknown'] });
    const result = await runInProcess(['status', ...FLEET, '-o', 'json'], { world, clock });
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as { instances: { name: string; connections: number | null }[] };
    expect(doc.instances.map((i) => [i.name, i.connections])).toEqual([
      ['conduit-0', 4],
      ['conduit-1', null],
    ]);
  });
});

describe('verify-sticky', () => {
  function sampler(instances: string[]): StickySampler {
    let n = 0;
    return {
      describe: () => ({ url: 'http://lb/health', transport: 'http', cookies: true, freshConnections: true, instanceFrom: { kind: 'json-field', path: 'instance' }, timeoutMs: 1_000 }),
      openClient: () => ({
        sample: async (): Promise<Sample> => ({ outcome: 'answered', instance: instances[n++ % instances.length], httpStatus: 200, setCookies: [], sentCookies: [], durationMs: 1 }),
        close: async () => {},
      }),
    };
  }

  it('every answer from one instance → STICKY, exit 0', async () => {
    const result = await runInProcess(['verify-sticky', 'http://lb', '--requests', '5'], { world: { stickySampler: sampler(['conduit-0']) } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('STICKY');
  });

  it('answers from two instances → NOT STICKY, exit 1', async () => {
    const result = await runInProcess(['verify-sticky', 'http://lb', '--requests', '5'], { world: { stickySampler: sampler(['conduit-0', 'conduit-1']) } });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('NOT STICKY');
  });
});

describe('migrate and rebalance (fleet file)', () => {
  /** Clients sent to an instance's own WebSocket URL land on it at once. */
  function movingWorld(clock: FakeClock, connections: Record<string, number>) {
    const instances = fakeInstances(2);
    const landing = new Map(instances.map((i) => [`ws://${i.address}:9088/v1/subscribe`, i.name]));
    const gateway = new FakeGateway({ clock, landing });
    for (const [name, n] of Object.entries(connections)) gateway.set(name, { connections: n });
    return { gateway, world: { staticFleet: new FakeFleet(instances), gateway } satisfies FakeWorld };
  }
  const moved = (gateway: FakeGateway) => gateway.executedBatches.reduce((sum, b) => sum + b.migrated, 0);

  it('migrate: every client moved → completed, exit 0', async () => {
    const clock = new FakeClock();
    const { world, gateway } = movingWorld(clock, { 'conduit-0': 30 });
    const result = await runInProcess(['migrate', 'conduit-0', ...FLEET, '--rate', '1000/s'], { world, clock });
    expect(result.code, result.stderr).toBe(0);
    expect(moved(gateway)).toBe(30);
  });

  it('migrate: an empty source → nothing to move, exit 0, no batch sent', async () => {
    const clock = new FakeClock();
    const { world, gateway } = movingWorld(clock, {});
    const result = await runInProcess(['migrate', 'conduit-0', ...FLEET], { world, clock });
    expect(result.code, result.stderr).toBe(0);
    expect(gateway.callsOf('migrate', 'conduit-0')).toEqual([]);
  });

  it('migrate: receivers without room → refused, exit 3, nobody moved', async () => {
    const clock = new FakeClock();
    const { world, gateway } = movingWorld(clock, { 'conduit-0': 30 });
    const result = await runInProcess(['migrate', 'conduit-0', ...FLEET, '--max-connections', '10'], { world, clock });
    expect(result.code, result.stderr).toBe(3);
    expect(gateway.callsOf('migrate', 'conduit-0')).toEqual([]);
  });

  it('migrate: Ctrl-C between batches → exit 130, what moved stays moved', async () => {
    const clock = new FakeClock();
    const { world, gateway } = movingWorld(clock, { 'conduit-0': 30 });
    const abort = new AbortController();
    clock.sleep(3_500).then(() => abort.abort(new Error('SIGINT')));
    const result = await runInProcess(['migrate', 'conduit-0', ...FLEET, '--batch-size', '1', '--interval', '1s'], { world, clock, signal: abort.signal });
    expect(result.code, result.stderr).toBe(130);
    expect(moved(gateway)).toBeGreaterThan(0);
    expect(moved(gateway)).toBeLessThan(30);
  });

  it('rebalance: within the tolerance → balanced, exit 0, no batch sent', async () => {
    const clock = new FakeClock();
    const { world, gateway } = movingWorld(clock, { 'conduit-0': 10, 'conduit-1': 10 });
    const result = await runInProcess(['rebalance', ...FLEET], { world, clock });
    expect(result.code, result.stderr).toBe(0);
    expect(gateway.callsOf('migrate')).toEqual([]);
  });

  it('rebalance: a skew → rebalanced, exit 0, clients moved to the emptier instance', async () => {
    const clock = new FakeClock();
    const { world, gateway } = movingWorld(clock, { 'conduit-0': 30 });
    const result = await runInProcess(['rebalance', ...FLEET, '--rate', '1000/s'], { world, clock });
    expect(result.code, result.stderr).toBe(0);
    expect(moved(gateway)).toBeGreaterThan(0);
  });

  it('rebalance --dry-run: the plan only, exit 0, no batch sent', async () => {
    const clock = new FakeClock();
    const { world, gateway } = movingWorld(clock, { 'conduit-0': 30 });
    const result = await runInProcess(['rebalance', ...FLEET, '--dry-run'], { world, clock });
    expect(result.code, result.stderr).toBe(0);
    expect(gateway.callsOf('migrate')).toEqual([]);
  });
});
