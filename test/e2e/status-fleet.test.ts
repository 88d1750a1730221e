import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { runCli } from '../support/run-cli.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { closeClients, connectClients } from '../support/ws-clients.js';
import { setFault, writeFleetFile } from '../support/fleet-file.js';

describe('status on a fleet file (real gateways, real clients)', () => {
  let gateway: GatewayProcess;
  let fleet: ReturnType<typeof writeFleetFile>;
  let clients: WebSocket[] = [];

  beforeAll(async () => {
    gateway = await startGatewayProcess(['--instances', '3', '--base-ip', '127.0.30.1', '--enable-faults', '--tick-ms', '0']);
    fleet = writeFleetFile(gateway);
    clients = [...(await connectClients(gateway.wsUrl(0), 4, '127.0.31.1')), ...(await connectClients(gateway.wsUrl(1), 2, '127.0.31.2'))];
  });

  afterAll(async () => {
    await closeClients(clients);
    await gateway?.stop();
    fleet?.remove();
  });

  it('reports the connected clients per instance, totals and skew as JSON', async () => {
    const result = await runCli(['status', '--fleet', fleet.path, '-o', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.instances.map((i: { name: string; connections: number }) => [i.name, i.connections])).toEqual([
      ['conduit-0', 4],
      ['conduit-1', 2],
      ['conduit-2', 0],
    ]);
    expect(report.instances.every((i: { health: string }) => i.health === 'ok')).toBe(true);
    expect(report.totals.connections).toBe(6);
    expect(report.skew.ratio).toBeCloseTo(2, 5);
    expect(report.skew.flagged).toBe(true);
  });

  it('prints a kubectl-style table with totals', async () => {
    const result = await runCli(['status', '--fleet', fleet.path]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+READY\s+HEALTH\s+CONNECTIONS\s+ADDRESS\s+AGE$/);
    expect(lines[1]).toMatch(/^conduit-0\s+-\s+ok\s+4\s+127\.0\.30\.1\s+-$/);
    expect(result.stdout).toContain('3 instances: 3 ok, 0 draining, 0 unreachable · 6 connections · skew 2.00 (above 1.2: uneven)');
  });

  it('shows garbage metrics as unknown, never 0, and leaves it out of the total', async () => {
    await setFault(gateway.adminUrl(2), { metrics: 'garbage' });
    try {
      const json = JSON.parse((await runCli(['status', '--fleet', fleet.path, '-o', 'json'])).stdout);
      const broken = json.instances[2];
      expect(broken.connections).toBeNull();
      expect(broken.connectionsReason).toMatch(/JSON|parse|malformed/i);
      expect(json.totals.unknownCounts).toBe(1);

      const table = await runCli(['status', '--fleet', fleet.path, '-o', 'wide']);
      expect(table.stdout).toMatch(/conduit-2\s+-\s+ok\s+unknown/);
      expect(table.stdout).toContain('(1 unknown, not counted)');
    } finally {
      await setFault(gateway.adminUrl(2), { metrics: null });
    }
  });

  it('shows an unreachable instance as unreachable with an unknown count', async () => {
    const result = await runCli(['status', '--instances', 'dead=http://127.0.30.99:9', '-o', 'json', '--request-timeout', '1s']);
    expect(result.code).toBe(0);
    const [row] = JSON.parse(result.stdout).instances;
    expect(row.health).toBe('unreachable');
    expect(row.connections).toBeNull();
  });

  it('prints YAML with -o yaml', async () => {
    const result = await runCli(['status', '--fleet', fleet.path, '-o', 'yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^kind: FleetStatus$/m);
    expect(result.stdout).toMatch(/^ {2}- name: conduit-0$/m);
  });
});
