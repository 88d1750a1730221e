// `conduitctl drain POD --then evict|delete` (the built CLI) against the sandbox world.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxWorld, type SandboxWorld } from '../../src/sandbox/world.js';
import { runCli } from '../support/run-cli.js';

const FAST = ['--min-drain-time', '1s', '--poll-interval', '200ms', '--confirm-timeout', '5s'];

describe('drain on Kubernetes against kube-sim with real gateways', () => {
  let world: SandboxWorld;
  const drain = (args: string[], timeoutMs = 60_000) => runCli(['drain', '--kubeconfig', world.kubeconfigPath, ...args], { timeoutMs });
  const pod = (name: string) => world.store.get('Pod', world.namespace, name);
  const setMinAvailable = (n: number) =>
    world.store.mutate('PodDisruptionBudget', world.namespace, 'conduit', (obj) => {
      obj.spec = { ...obj.spec, minAvailable: n };
    });

  beforeAll(async () => {
    world = await startSandboxWorld({ podCidr: '127.0.122.0/24', serviceCidr: '127.0.123.0/24', manifests: { terminationGracePeriodSeconds: 10 } });
    await world.waitUntilReady(45_000);
  }, 60_000);

  afterEach(async () => {
    await world.waitUntilReady(45_000);
  }, 60_000);

  afterAll(async () => {
    await world?.close();
  });

  it('a PDB-blocked --then evict prints the PDB each retry and exits 4 at its deadline, nothing deleted', async () => {
    setMinAvailable(3);
    try {
      const result = await drain(['conduit-1', '--then', 'evict', '--timeout', '14s', ...FAST]);
      expect(result.code, result.stderr).toBe(4);
      const blocks = result.stderr.split('\n').filter((line) => line.includes('eviction refused by PodDisruptionBudget conduit'));
      expect(blocks.length).toBeGreaterThanOrEqual(2);
      expect(blocks[0]).toMatch(/healthy \d+, needs 3/);
      expect(world.sim.requestLog().filter((e) => e.method === 'DELETE')).toEqual([]);
      expect(pod('conduit-1')?.metadata.deletionTimestamp).toBeUndefined();
    } finally {
      setMinAvailable(2);
      // the pod stays drained (safe) after the timeout: give it back to the Service for the next test
      const ip = (pod('conduit-1')!.status as { podIP: string }).podIP;
      await fetch(`http://${ip}:9087/admin/undrain`, { method: 'POST' });
    }
  }, 60_000);

  it('--then delete: the pod re-created under the same name is not mistaken for the old one', async () => {
    await world.waitUntilReady(45_000);
    const oldUid = pod('conduit-2')!.metadata.uid;
    const result = await drain(['conduit-2', '--then', 'delete', '--timeout', '40s', '-o', 'json', ...FAST]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { outcome: string; removals: { name: string; removal: string; detail: string | null }[] };
    expect(report.outcome).toBe('removed');
    expect(report.removals).toEqual([expect.objectContaining({ name: 'conduit-2', removal: 'deleted' })]);
    expect(result.stderr).toMatch(/conduit-2: gone/);
    const deletes = world.sim.requestLog().filter((e) => e.method === 'DELETE' && e.path.endsWith('/pods/conduit-2'));
    expect(deletes).toHaveLength(1);
    await world.waitUntilReady(45_000);
    expect(pod('conduit-2')!.metadata.uid).not.toBe(oldUid);
  }, 90_000);

  it('draining the last Ready pod is refused without --allow-last (exit 3)', async () => {
    const result = await drain(['conduit-0', 'conduit-1', 'conduit-2', ...FAST]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('last Ready pods of statefulset conduit');
  });
});
