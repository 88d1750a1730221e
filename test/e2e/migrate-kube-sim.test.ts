// migrate / scale --migrate (the built CLI) against the sandbox world: kube-sim, its StatefulSet
// controller, real reference-gateway pods, and real clients that follow the migrating notice.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isMutating } from '../../src/sandbox/kube-sim/index.js';
import { startSandboxWorld, waitFor, type SandboxWorld } from '../../src/sandbox/world.js';
import { FollowingClients } from '../support/ws-clients.js';
import { CLI_PATH, runCli } from '../support/run-cli.js';
import { until } from '../support/until.js';

const FAST = ['--min-drain-time', '1s', '--poll-interval', '200ms', '--confirm-timeout', '5s'];
const PACE = ['--rate', '1000/s', '--reconnect-after', '0s-500ms'];

describe('migrate and scale --migrate against kube-sim with real gateways', () => {
  let world: SandboxWorld;
  let swarms: FollowingClients[] = [];
  const podIP = (name: string) => (world.store.get('Pod', world.namespace, name)?.status as { podIP?: string } | undefined)?.podIP;
  const wsUrl = (name: string) => `ws://${podIP(name)}:9088/v1/subscribe`;
  const replicas = () => world.store.get('StatefulSet', world.namespace, 'conduit')!.spec!.replicas as number;
  const kube = ['--kubeconfig', ''];
  const open = async (pod: string, count: number, localAddress: string) => {
    const swarm = await FollowingClients.open({ url: wsUrl(pod), count, localAddress });
    swarms.push(swarm);
    return swarm;
  };

  beforeAll(async () => {
    world = await startSandboxWorld({ podCidr: '127.45.10.0/24', serviceCidr: '127.45.11.0/24', manifests: { terminationGracePeriodSeconds: 20 } });
    await world.waitUntilReady(45_000);
    kube[1] = world.kubeconfigPath;
  }, 60_000);

  afterEach(async () => {
    await Promise.all(swarms.map((s) => s.stop()));
    swarms = [];
  });

  afterAll(async () => {
    await world?.close();
  });

  it('migrate conduit-1 --to conduit-0: paced batches under the StatefulSet lock, 0 silent', async () => {
    const swarm = await open('conduit-1', 100, '127.45.12.1');
    world.sim.controls.clearRequestLog();
    const result = await runCli(['migrate', 'conduit-1', '--to', 'conduit-0', ...kube, '-o', 'json', ...PACE], { timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ outcome: 'completed', moved: 100 });
    await until(() => swarm.snapshot().moves.filter((m) => m.arrivedOn).length === 100, 'the clients to reconnect', 60_000);
    expect(swarm.snapshot().silent).toEqual([]);
    expect(new Set(swarm.snapshot().moves.map((m) => m.arrivedOn))).toEqual(new Set(['conduit-0']));
    const leaseWrites = world.sim.requestLog().filter((r) => isMutating(r) && r.path.includes('/leases'));
    expect(leaseWrites.length).toBeGreaterThanOrEqual(2); // taken, then released
    expect(leaseWrites.every((r) => r.path.includes('conduitctl-lock-sts-conduit') || r.method === 'POST')).toBe(true);
  }, 90_000);

  it('scale --migrate refuses with exit 3 before any mutation when the survivors have no room', async () => {
    const swarm = await open('conduit-2', 50, '127.45.12.2');
    world.sim.controls.clearRequestLog();
    const result = await runCli(['scale', 'sts/conduit', '--replicas', '2', '--migrate', '--max-connections', '10', ...kube, ...FAST, ...PACE], { timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/nothing drained or moved: the receivers have room for \d+ more connections .*50 to move/);
    expect(world.sim.requestLog().filter(isMutating)).toEqual([]);
    expect(swarm.snapshot().notices).toBe(0);
    expect(replicas()).toBe(3);
    const health = (await (await fetch(`http://${podIP('conduit-2')}:9087/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
  }, 90_000);

  it('scale sts/conduit --replicas 2 --migrate from 3 moves conduit-2’s 2,000 clients to conduit-0/1 only, each with the notice and 1012, 0 silent, then scales', async () => {
    const victims = await open('conduit-2', 2000, '127.45.12.3');
    const survivors = await open('conduit-0', 50, '127.45.12.4');
    const allowed = new Set([wsUrl('conduit-0'), wsUrl('conduit-1')]);
    const result = await runCli(['scale', 'sts/conduit', '--replicas', '2', '--migrate', ...kube, '-o', 'json', '--timeout', '3m', ...FAST, ...PACE], { timeoutMs: 180_000 });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.outcome).toBe('scaled');
    expect(report.migrations).toEqual([expect.objectContaining({ source: 'conduit-2', outcome: 'completed', moved: 2000 })]);
    for (const batch of report.migrations[0].batches) {
      expect(Object.keys(batch.shares).every((n: string) => n === 'conduit-0' || n === 'conduit-1')).toBe(true);
      expect(batch.targets.every((t: string) => allowed.has(t))).toBe(true);
    }
    await until(() => victims.snapshot().moves.filter((m) => m.arrivedOn).length === 2000, 'the moved clients to reconnect', 60_000);
    const stats = victims.snapshot();
    expect(stats.silent).toEqual([]);
    expect(stats.failedReconnects).toBe(0);
    expect(stats.moves).toHaveLength(2000);
    expect(stats.moves.every((m) => m.closeCode === 1012 && allowed.has(m.to))).toBe(true);
    expect(new Set(stats.moves.map((m) => m.arrivedOn))).toEqual(new Set(['conduit-0', 'conduit-1']));
    expect(survivors.snapshot().silent).toEqual([]);
    expect(survivors.snapshot().notices).toBe(0);
    expect(replicas()).toBe(2);
    await waitFor(world.store, () => !world.store.get('Pod', world.namespace, 'conduit-2'), 30_000, 'conduit-2 to go');
  }, 240_000);

  it('judged by the probe: 2,000 probe clients on conduit-2, `probe -- conduitctl scale --replicas 2 --migrate` → PASS, 0 silent, every client back on conduit-0/1', async () => {
    const up = await runCli(['scale', 'sts/conduit', '--replicas', '3', ...kube, ...FAST], { timeoutMs: 90_000 });
    expect(up.code, up.stderr).toBe(0);
    await world.waitUntilReady(45_000);
    const cli = process.execPath;
    const result = await runCli(
      ['probe', wsUrl('conduit-2'), '--connections', '2000', '--connect-rate', '1000/s', '--source-ips', '127.45.13.1-127.45.13.20', '--ping-interval', '2s', '--settle', '20s', '-o', 'json', '--',
        cli, CLI_PATH, 'scale', 'sts/conduit', '--replicas', '2', '--migrate', ...kube, '--timeout', '3m', ...FAST, ...PACE],
      { timeoutMs: 240_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { verdict: string; closes: { silent: number; byCode: Record<string, number> }; connections: { openAtEnd: number }; instances: { before: Record<string, number>; after: Record<string, number> } };
    expect(report.verdict).toBe('PASS');
    expect(report.closes.silent).toBe(0);
    expect(report.closes.byCode).toEqual({ '1012': 2000 });
    expect(report.instances.before).toEqual({ 'conduit-2': 2000 });
    expect(Object.keys(report.instances.after).sort()).toEqual(['conduit-0', 'conduit-1']);
    expect(report.connections.openAtEnd).toBe(2000);
    expect(replicas()).toBe(2);
  }, 300_000);

  it('rebalance after scaling 2 → 3 brings the skew within the 20% tolerance, 0 silent', async () => {
    const up = await runCli(['scale', 'sts/conduit', '--replicas', '3', ...kube, ...FAST], { timeoutMs: 90_000 });
    expect(up.code, up.stderr).toBe(0);
    await world.waitUntilReady(45_000);
    const a = await open('conduit-0', 600, '127.45.12.5');
    const b = await open('conduit-1', 600, '127.45.12.6');
    const result = await runCli(['rebalance', 'sts/conduit', ...kube, '-o', 'json', ...PACE], { timeoutMs: 90_000 });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.outcome).toBe('rebalanced');
    expect(report.plan.skewBefore).toBeGreaterThan(1.2);
    expect(result.stderr).toMatch(/Plan: mean \d+\.\d connections, busiest \d+% above it \(tolerance 20%\)/);
    await until(() => [a, b].every((s) => s.snapshot().moves.every((m) => m.arrivedOn)) && a.snapshot().open + b.snapshot().open === 1200, 'the moved clients to reconnect', 60_000);
    const on: Record<string, number> = {};
    for (const swarm of [a, b]) for (const [name, n] of Object.entries(swarm.snapshot().byInstance)) on[name] = (on[name] ?? 0) + n;
    const counts = ['conduit-0', 'conduit-1', 'conduit-2'].map((n) => on[n] ?? 0);
    const mean = counts.reduce((x, y) => x + y, 0) / 3;
    expect(Math.max(...counts) / mean).toBeLessThanOrEqual(1.2);
    expect(Math.min(...counts)).toBeGreaterThan(0);
    expect([...a.snapshot().silent, ...b.snapshot().silent]).toEqual([]);
    expect([...a.snapshot().moves, ...b.snapshot().moves].every((m) => m.arrivedOn === 'conduit-2')).toBe(true);
  }, 180_000);
});
