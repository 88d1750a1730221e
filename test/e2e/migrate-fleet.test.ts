// `conduitctl migrate` on a file fleet: real reference gateways (one process, three instances),
// real clients that follow the migrating notice, the built CLI as a process.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { writeFleetFile } from '../support/fleet-file.js';
import { FollowingClients } from '../support/ws-clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { runCli, startCli, waitForOutput } from '../support/run-cli.js';
import { until } from '../support/until.js';

const PACE = ['--rate', '200/s', '--reconnect-after', '0s-200ms'];

async function metrics(adminUrl: string): Promise<{ active: number; migrated: number }> {
  const body = (await (await fetch(`${adminUrl}/v1/metrics`)).json()) as { ws: { connections: { active: number; migrated: number } } };
  return body.ws.connections;
}

describe('migrate on a fleet file (real gateways, clients that follow the notice)', () => {
  let gateway: GatewayProcess;
  let fleet: ReturnType<typeof writeFleetFile>;
  let swarm: FollowingClients | undefined;
  let proxy: FaultProxy | undefined;

  beforeAll(async () => {
    gateway = await startGatewayProcess(['--instances', '3', '--base-ip', '127.45.1.1', '--tick-ms', '0']);
    fleet = writeFleetFile(gateway);
  });

  afterEach(async () => {
    await swarm?.stop();
    swarm = undefined;
    await proxy?.stop();
    proxy = undefined;
  });

  afterAll(async () => {
    await gateway?.stop();
    fleet?.remove();
  });

  it('moves every client of conduit-2 to conduit-0/1 in paced batches: each gets the notice and 1012, 0 silent', async () => {
    swarm = await FollowingClients.open({ url: gateway.wsUrl(2), count: 120, localAddress: '127.45.2.1' });
    const before = await metrics(gateway.adminUrl(2));
    const result = await runCli(['migrate', 'conduit-2', '--fleet', fleet.path, '-o', 'json', ...PACE]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ kind: 'MigrationReport', source: 'conduit-2', outcome: 'completed', moved: 120 });
    expect(report.plan).toMatchObject({ verdict: 'proceed', toMove: 120, batchSize: 20, ratePerSecond: 200 });
    expect(report.batches.length).toBeGreaterThanOrEqual(6);
    expect(new Set(report.batches.map((b: { batchId: string }) => b.batchId)).size).toBe(report.batches.length);
    for (const batch of report.batches) expect(Object.keys(batch.shares).every((n) => n === 'conduit-0' || n === 'conduit-1')).toBe(true);
    expect(result.stderr).toMatch(/Plan: move 120 of 120 connections from conduit-2 to conduit-0 \(\d+\), conduit-1 \(\d+\)/);

    await until(() => swarm!.snapshot().open === 120 && swarm!.snapshot().moves.every((m) => m.arrivedOn), 'the moved clients to reconnect', 20_000, 50);
    const stats = swarm.snapshot();
    expect(stats.silent).toEqual([]);
    expect(stats.failedReconnects).toBe(0);
    expect(stats.moves).toHaveLength(120);
    expect(stats.moves.every((m) => m.closeCode === 1012 && m.from === 'conduit-2')).toBe(true);
    expect(new Set(stats.moves.map((m) => m.arrivedOn))).toEqual(new Set(['conduit-0', 'conduit-1']));
    expect(stats.byInstance['conduit-2']).toBeUndefined();
    expect((await metrics(gateway.adminUrl(2))).migrated - before.migrated).toBe(120);
  });

  it('refuses with exit 3 before any move when the receivers cannot absorb the clients', async () => {
    swarm = await FollowingClients.open({ url: gateway.wsUrl(2), count: 30, localAddress: '127.45.2.2' });
    const before = await metrics(gateway.adminUrl(2));
    const result = await runCli(['migrate', 'conduit-2', '--fleet', fleet.path, '--max-connections', '10', ...PACE]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/nothing moved: the receivers have room for \d+ more connections .*30 to move/);
    const after = await metrics(gateway.adminUrl(2));
    expect(after.migrated).toBe(before.migrated);
    expect(after.active).toBe(30);
    expect(swarm.snapshot().notices).toBe(0);
  });

  it('retries a POST whose answer was lost after the gateway acted with the same batch id: nobody is moved twice', async () => {
    swarm = await FollowingClients.open({ url: gateway.wsUrl(2), count: 50, localAddress: '127.45.2.3' });
    proxy = await startFaultProxy({ target: gateway.adminUrl(2), bind: '127.45.3.1', dropMigrateAnswers: 1 });
    const path = join(fleet.dir, 'fleet-proxied.yaml');
    const entry = (i: number, admin: string) => `  - name: conduit-${i}\n    admin: ${admin}\n    ws: ${gateway.wsUrl(i)}`;
    writeFileSync(path, `instances:\n${[entry(0, gateway.adminUrl(0)), entry(1, gateway.adminUrl(1)), entry(2, proxy.url)].join('\n')}\n`);
    const before = await metrics(gateway.adminUrl(2));

    const result = await runCli(['migrate', 'conduit-2', '--fleet', path, '-o', 'json', '--batch-size', '20', '--interval', '100ms', '--reconnect-after', '0s-200ms']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.moved).toBe(50);
    expect(report.batches[0]).toMatchObject({ attempts: 2, migrated: 20 });
    const ids = proxy.migrateBodies.map((b) => b.batchId);
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(ids.length - 1);
    expect((await metrics(gateway.adminUrl(2))).migrated - before.migrated).toBe(50);
    await until(() => swarm!.snapshot().moves.filter((m) => m.arrivedOn).length === 50, 'the moved clients to reconnect', 20_000, 50);
    expect(swarm.snapshot().moves).toHaveLength(50);
    expect(swarm.snapshot().silent).toEqual([]);
  });

  it('Ctrl-C stops between batches, says what moved and what is left, exit 130; the moved clients are fine', async () => {
    swarm = await FollowingClients.open({ url: gateway.wsUrl(2), count: 60, localAddress: '127.45.2.5' });
    const running = startCli(['migrate', 'conduit-2', '--fleet', fleet.path, '--batch-size', '10', '--interval', '1s', '--reconnect-after', '0s-200ms', '-v']);
    await waitForOutput(running, (text) => text.includes('batch 2:'));
    running.child.kill('SIGINT');
    const result = await running.result;
    expect(result.code, result.stderr).toBe(130);
    const match = /interrupted between batches: (\d+) moved, (\d+) left on conduit-2/.exec(result.stderr);
    expect(match).not.toBeNull();
    const [moved, left] = [Number(match![1]), Number(match![2])];
    expect(moved % 10).toBe(0);
    expect(moved + left).toBe(60);
    await until(() => swarm!.snapshot().moves.filter((m) => m.arrivedOn).length === moved, 'the moved clients to reconnect', 20_000, 50);
    expect(swarm.snapshot().byInstance['conduit-2']).toBe(left);
    expect(swarm.snapshot().silent).toEqual([]);
  });

  it('--dry-run prints the plan and moves nobody', async () => {
    swarm = await FollowingClients.open({ url: gateway.wsUrl(1), count: 10, localAddress: '127.45.2.4' });
    const result = await runCli(['migrate', 'conduit-1', '--fleet', fleet.path, '--dry-run', '--to', 'conduit-0']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Plan: move 10 of 10 connections from conduit-1 to conduit-0/);
    expect(result.stdout).toMatch(/dry run: would move 10 from conduit-1 in 1 batch; nothing moved/);
    expect(swarm.snapshot().notices).toBe(0);
  });

  it('rejects bad input with exit 2 and moves nobody', async () => {
    for (const args of [['--rate', 'fast'], ['--reconnect-after', '30s-5s'], ['--to', 'conduit-2'], ['--reconnect-url', 'http://lb/'], ['--rate', '1/s', '--batch-size', '2', '--interval', '1s']]) {
      const result = await runCli(['migrate', 'conduit-2', '--fleet', fleet.path, ...args]);
      expect(result.code, args.join(' ')).toBe(2);
    }
    const local = await runCli(['drain', '--local', '--migrate']);
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/--local --migrate needs --reconnect-url/);
    const rebalance = await runCli(['rebalance', '--fleet', fleet.path, '--tolerance', 'lots']);
    expect(rebalance.code).toBe(2);
  });
});

describe('drain --migrate on a fleet file', () => {
  let gateway: GatewayProcess;
  let fleet: ReturnType<typeof writeFleetFile>;
  let swarm: FollowingClients | undefined;

  beforeAll(async () => {
    gateway = await startGatewayProcess(['--instances', '3', '--base-ip', '127.45.4.1', '--tick-ms', '0']);
    fleet = writeFleetFile(gateway);
  });

  afterAll(async () => {
    await swarm?.stop();
    await gateway?.stop();
    fleet?.remove();
  });

  it('drains conduit-1, moves its clients to conduit-0/2, then reaches the stable zero: 0 silent', async () => {
    swarm = await FollowingClients.open({ url: gateway.wsUrl(1), count: 80, localAddress: '127.45.5.1' });
    const result = await runCli(['drain', 'conduit-1', '--migrate', '--fleet', fleet.path, '-o', 'json', '--min-drain-time', '1s', '--poll-interval', '200ms', ...PACE]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.outcome).toBe('drained');
    expect(report.migrations).toEqual([expect.objectContaining({ source: 'conduit-1', outcome: 'completed', moved: 80 })]);
    await until(() => swarm!.snapshot().moves.filter((m) => m.arrivedOn).length === 80, 'the moved clients to reconnect', 20_000, 50);
    const stats = swarm.snapshot();
    expect(stats.silent).toEqual([]);
    expect(new Set(stats.moves.map((m) => m.arrivedOn))).toEqual(new Set(['conduit-0', 'conduit-2']));
    expect(stats.byInstance['conduit-1']).toBeUndefined();
  });
});
