// `conduitctl scale` (the built CLI) against the sandbox world: kube-sim, its StatefulSet
// controller and a pod runner with real reference-gateway processes, real ws clients on a victim.
import type WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isMutating } from '../../src/sandbox/kube-sim/index.js';
import { startSandboxWorld, waitFor, type SandboxWorld } from '../../src/sandbox/world.js';
import { workloadLockName } from '../../src/ops/workload-lock/index.js';
import { runCli, startCli, waitForOutput } from '../support/run-cli.js';
import { closeClients, connectClients } from '../support/ws-clients.js';

const LOCK = workloadLockName('statefulset', 'conduit');
const FAST = ['--min-drain-time', '1s', '--poll-interval', '200ms', '--confirm-timeout', '5s'];

describe('scale sts/conduit against kube-sim with real gateways', () => {
  let world: SandboxWorld;
  let clients: WebSocket[] = [];
  const cli = (args: string[], timeoutMs = 60_000) =>
    runCli(['scale', 'sts/conduit', '--kubeconfig', world.kubeconfigPath, ...args], { timeoutMs });
  const replicas = () => world.store.get('StatefulSet', world.namespace, 'conduit')!.spec!.replicas as number;
  const podIP = (name: string) => (world.store.get('Pod', world.namespace, name)?.status as { podIP?: string } | undefined)?.podIP;
  const mutating = () => world.sim.requestLog().filter(isMutating);
  const setReplicas = (n: number) =>
    world.store.mutate('StatefulSet', world.namespace, 'conduit', (obj) => {
      obj.spec = { ...obj.spec, replicas: n };
    });

  beforeAll(async () => {
    world = await startSandboxWorld({ podCidr: '127.0.120.0/24', serviceCidr: '127.0.121.0/24', manifests: { terminationGracePeriodSeconds: 20 } });
    await world.waitUntilReady(45_000);
  }, 60_000);

  afterEach(async () => {
    await closeClients(clients);
    clients = [];
    world.sim.controls.clearDenyRules();
  });

  afterAll(async () => {
    await world?.close();
  });

  it('--dry-run prints the plan (victim conduit-2 and its connections) and sends no mutating request', async () => {
    clients = await connectClients(`ws://${podIP('conduit-2')}:9088/v1/subscribe`, 3);
    world.sim.controls.clearRequestLog();
    const result = await cli(['--replicas', '2', '--dry-run', '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { outcome: string; plan: { victims: { name: string; connections: number }[] } };
    expect(report.outcome).toBe('planned');
    expect(report.plan.victims).toEqual([expect.objectContaining({ name: 'conduit-2', connections: 3 })]);
    expect(mutating()).toEqual([]);
    expect(result.stderr).toContain('namespace');
  });

  it('namespace / StatefulSet / pod missing: exit 2 naming the object, nothing mutated', async () => {
    world.sim.controls.clearRequestLog();
    const kubeconfig = ['--kubeconfig', world.kubeconfigPath];
    const cases: Array<{ args: string[]; named: RegExp }> = [
      { args: ['scale', 'sts/conduitt', '--replicas', '1', ...kubeconfig], named: /statefulset "conduitt" not found in namespace "?conduit"?/ },
      { args: ['scale', 'sts/conduit', '-n', 'no-such-namespace', '--replicas', '1', ...kubeconfig], named: /statefulset "conduit" not found in namespace "?no-such-namespace"?/ },
      { args: ['drain', 'conduit-9', '--then', 'delete', ...kubeconfig], named: /pod "conduit-9" not found in namespace "conduit"/ },
      { args: ['status', 'sts/conduitt', ...kubeconfig], named: /statefulset "conduitt" not found/ },
    ];
    for (const { args, named } of cases) {
      const result = await runCli(args, { timeoutMs: 30_000 });
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(named);
    }
    expect(mutating()).toEqual([]);
    expect(replicas()).toBe(3);
  });

  it('RBAC forbids patching statefulsets/scale: exit 3 before any mutating request', async () => {
    world.sim.controls.deny({ verbs: ['patch'], resources: ['statefulsets/scale'] });
    world.sim.controls.clearRequestLog();
    const result = await cli(['--replicas', '2', ...FAST]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('not allowed to patch statefulsets/scale');
    expect(mutating()).toEqual([]);
  });

  it('a second operator holds the Lease: exit 3 naming the holder', async () => {
    const now = new Date().toISOString().replace(/\.\d+Z$/, '.000000Z');
    world.store.create('Lease', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: LOCK, namespace: world.namespace },
      spec: { holderIdentity: 'conduitctl@alice/4242', leaseDurationSeconds: 60, acquireTime: now, renewTime: now },
    });
    try {
      const result = await cli(['--replicas', '2', ...FAST]);
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toContain('conduitctl@alice/4242');
      expect(replicas()).toBe(3);
    } finally {
      world.store.delete('Lease', world.namespace, LOCK);
    }
  });

  it("a colleague's kubectl scale during the wait: exit 5, their replicas are not overwritten", async () => {
    clients = await connectClients(`ws://${podIP('conduit-2')}:9088/v1/subscribe`, 2);
    const run = startCli(['scale', 'sts/conduit', '--kubeconfig', world.kubeconfigPath, '--replicas', '2', '--timeout', '40s', ...FAST], { timeoutMs: 60_000 });
    await waitForOutput(run, (text) => text.includes('conduit-2: draining'));
    setReplicas(4);
    await closeClients(clients);
    clients = [];
    const result = await run.result;
    expect(result.code, result.stderr).toBe(5);
    expect(result.stderr).toContain('spec.replicas changed from 3 to 4');
    expect(replicas()).toBe(4);
    setReplicas(3);
    await waitFor(world.store, () => !world.store.get('Pod', world.namespace, 'conduit-3'), 30_000, 'conduit-3 to go');
    await world.waitUntilReady(45_000);
  }, 90_000);

  it('Ctrl-C during the wait: nothing written, conduit-2 undrained, Lease released, exit 130 describing what is left', async () => {
    const ip = podIP('conduit-2')!;
    clients = await connectClients(`ws://${ip}:9088/v1/subscribe`, 2);
    const running = startCli(['scale', 'sts/conduit', '--kubeconfig', world.kubeconfigPath, '--replicas', '2', ...FAST]);
    await waitForOutput(running, (text) => text.includes('conduit-2: draining'));
    running.child.kill('SIGINT');
    const result = await running.result;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toMatch(/interrupted before the scale was written: .*conduit-2/);
    expect(replicas()).toBe(3);
    const health = (await (await fetch(`http://${ip}:9087/health`)).json()) as { status: string; connections: number };
    expect(health).toMatchObject({ status: 'ok', connections: 2 });
    // The run took the Lease (so it exists) and released it: no holder left.
    const lease = world.store.get('Lease', world.namespace, LOCK) as { spec?: { holderIdentity?: string } } | undefined;
    expect(lease, `Lease ${LOCK}`).toBeDefined();
    expect(lease!.spec).toBeDefined();
    expect(lease!.spec!.holderIdentity).toBeUndefined();
  });

  it('3 → 2 waits while conduit-2 holds clients, scales only after they leave, and its process really ends', async () => {
    const ip = podIP('conduit-2')!;
    clients = await connectClients(`ws://${ip}:9088/v1/subscribe`, 3);
    const run = startCli(['scale', 'sts/conduit', '--kubeconfig', world.kubeconfigPath, '--replicas', '2', '--timeout', '60s', ...FAST], { timeoutMs: 90_000 });
    await waitForOutput(run, (text) => text.includes('conduit-2: draining'));
    await new Promise((r) => setTimeout(r, 2_500));
    expect(replicas()).toBe(3); // still holding clients: nothing written
    await closeClients(clients);
    clients = [];
    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);
    expect(replicas()).toBe(2);
    expect(world.store.get('Pod', world.namespace, 'conduit-2')).toBeUndefined();
    await expect(connectClients(`ws://${ip}:9088/v1/subscribe`, 1)).rejects.toThrow();
  }, 120_000);
});
