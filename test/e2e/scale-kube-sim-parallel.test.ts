// `conduitctl scale` against a Parallel StatefulSet of 4 real gateways in kube-sim: two victims at
// once, an HPA, and a victim whose metrics are garbage.
import type WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isMutating } from '../../src/sandbox/kube-sim/index.js';
import { startSandboxWorld, type SandboxWorld } from '../../src/sandbox/world.js';
import { runCli, startCli, waitForOutput } from '../support/run-cli.js';
import { closeClients, connectClients } from '../support/ws-clients.js';

const FAST = ['--min-drain-time', '1s', '--poll-interval', '200ms', '--confirm-timeout', '5s'];

describe('scale a Parallel StatefulSet in kube-sim', () => {
  let world: SandboxWorld;
  let clients: WebSocket[] = [];
  const scale = (args: string[], timeoutMs = 60_000) => runCli(['scale', 'sts/conduit', '--kubeconfig', world.kubeconfigPath, ...args], { timeoutMs });
  const replicas = () => world.store.get('StatefulSet', world.namespace, 'conduit')!.spec!.replicas as number;
  const podIP = (name: string) => (world.store.get('Pod', world.namespace, name)!.status as { podIP: string }).podIP;
  const admin = (name: string, path: string, body?: unknown) =>
    fetch(`http://${podIP(name)}:9087${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  beforeAll(async () => {
    world = await startSandboxWorld({
      podCidr: '127.0.124.0/24',
      serviceCidr: '127.0.125.0/24',
      manifests: { replicas: 4, podManagementPolicy: 'Parallel', terminationGracePeriodSeconds: 20, gatewayArgs: ['--enable-faults'] },
    });
    await world.waitUntilReady(45_000);
  }, 60_000);

  afterEach(async () => {
    await closeClients(clients);
    clients = [];
  });

  afterAll(async () => {
    await world?.close();
  });

  it('an HPA targets the StatefulSet: exit 3, no mutating request', async () => {
    world.store.create('HorizontalPodAutoscaler', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'conduit-hpa', namespace: world.namespace },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'conduit' }, minReplicas: 2, maxReplicas: 8 },
    });
    world.sim.controls.clearRequestLog();
    try {
      const result = await scale(['--replicas', '2', ...FAST]);
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toContain('conduit-hpa');
      expect(world.sim.requestLog().filter(isMutating)).toEqual([]);
    } finally {
      world.store.delete('HorizontalPodAutoscaler', world.namespace, 'conduit-hpa');
    }
  });

  it('a victim whose metrics are garbage is never scaled away: exit 4 at the deadline', async () => {
    expect((await admin('conduit-3', '/_faults', { metrics: 'garbage' })).ok).toBe(true);
    try {
      const result = await scale(['--replicas', '3', '--timeout', '6s', ...FAST]);
      expect(result.code, result.stderr).toBe(4);
      expect(result.stderr).toContain('conduit-3');
      expect(replicas()).toBe(4);
    } finally {
      await admin('conduit-3', '/_faults', { metrics: null });
      await admin('conduit-3', '/admin/undrain');
      await world.waitUntilReady(30_000);
    }
  }, 60_000);

  it('Parallel, two victims: both at a stable zero before the write, both gone after', async () => {
    clients = [
      ...(await connectClients(`ws://${podIP('conduit-3')}:9088/v1/subscribe`, 2)),
      ...(await connectClients(`ws://${podIP('conduit-2')}:9088/v1/subscribe`, 2)),
    ];
    const run = startCli(['scale', 'sts/conduit', '--kubeconfig', world.kubeconfigPath, '--replicas', '2', '--timeout', '60s', ...FAST], { timeoutMs: 90_000 });
    await waitForOutput(run, (text) => text.includes('conduit-2: draining') && text.includes('conduit-3: draining'));
    await new Promise((r) => setTimeout(r, 2_000));
    expect(replicas()).toBe(4);
    await closeClients(clients.slice(0, 2)); // conduit-3's clients leave; conduit-2 still holds two
    await new Promise((r) => setTimeout(r, 2_000));
    expect(replicas()).toBe(4);
    await closeClients(clients);
    clients = [];
    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);
    const write = result.stderr.indexOf('writing spec.replicas=2');
    expect(write).toBeGreaterThan(result.stderr.indexOf('conduit-3: stable zero'));
    expect(write).toBeGreaterThan(result.stderr.indexOf('conduit-2: stable zero'));
    expect(replicas()).toBe(2);
    expect(world.store.get('Pod', world.namespace, 'conduit-2')).toBeUndefined();
    expect(world.store.get('Pod', world.namespace, 'conduit-3')).toBeUndefined();
  }, 120_000);
});
