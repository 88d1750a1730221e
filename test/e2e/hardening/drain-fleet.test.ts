// Issue 14 as a process on file fleets: real reference gateways, real clients, the built CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { runCli, startCli } from '../../support/run-cli.js';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.js';
import { closeClients, connectClients } from '../../support/ws-clients.js';
import { useDrainFleetWorld } from '../../support/drain-fleet-world.js';
import { until } from '../../support/until.js';
import { healthOf, setFault } from '../../support/fleet-file.js';
import { startLoopbackServer, type LoopbackServer } from '../../support/loopback-server.js';

const FAST = ['--min-drain-time', '1s', '--poll-interval', '200ms'];

describe('drain on a fleet file: issue 14', () => {
  const w = useDrainFleetWorld(2, '127.44.5.1');

  it('item 4: SIGHUP (a dropped SSH session) is treated as SIGTERM: undrained, described, exit 130', async () => {
    w.clients = await connectClients(w.gateway.wsUrl(0), 2, '127.44.6.1');
    w.running = startCli(['drain', 'conduit-0', '--fleet', w.fleet.path, ...FAST]);
    await until(async () => (await healthOf(w.gateway.adminUrl(0))).status === 'draining', 'conduit-0 to drain');
    w.running.child.kill('SIGHUP');
    const result = await w.running.result;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/interrupted: conduit-0 undrained, 2 connections, not removed/);
    expect((await healthOf(w.gateway.adminUrl(0))).status).toBe('ok');
  });

  it('item 4: the deadline lies — --timeout shorter than --confirm-timeout, never confirmed: exit 3 "never confirmed"', async () => {
    await setFault(w.gateway.adminUrl(1), { drain: 'ignore' });
    const result = await runCli(['drain', 'conduit-1', '--fleet', w.fleet.path, '--timeout', '1s', '--confirm-timeout', '10s', ...FAST]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('never confirmed');
    expect(result.stderr).not.toContain('still draining');
  });
});

describe('item 1: a gateway restarted mid-drain (file fleet: no uid, no restart count)', () => {
  let gateway: GatewayProcess | undefined;
  let clients: WebSocket[] = [];

  afterAll(async () => {
    await closeClients(clients);
    await gateway?.stop();
  });

  it('kill -9 and started again 2 s later: reported, re-asserted, exit 1, "5 connections may have been dropped", never "drained"', async () => {
    const args = ['--bind', '127.44.11.1', '--name', 'gw-k', '--tick-ms', '0'];
    gateway = await startGatewayProcess(args);
    const { port, adminPort } = gateway.instances[0]!;
    const adminUrl = gateway.adminUrl();
    clients = await connectClients(gateway.wsUrl(), 5, '127.44.6.2');
    const running = startCli(['drain', 'gw-k', '--instances', `gw-k=${adminUrl}`, '-o', 'json', '--min-drain-time', '1s', '--poll-interval', '200ms', '--timeout', '60s']);
    try {
      await until(async () => (await healthOf(adminUrl)).status === 'draining', 'gw-k to drain');
      await new Promise((r) => setTimeout(r, 600)); // a few polls see 5 connections
      await gateway.stop(); // SIGKILL: the clients get 1006
      await new Promise((r) => setTimeout(r, 2_000));
      gateway = await startGatewayProcess([...args, '--port', String(port), '--admin-port', String(adminPort)]);

      const result = await running.result;
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report.outcome).toBe('restarted');
      expect(report.instances[0]).toMatchObject({ name: 'gw-k', state: 'restarted', droppedConnections: 5 });
      expect(report.instances[0].detail).toMatch(/^5 connections dropped by a restart \(boot id .+ → .+\); it came back not draining, so the drain was re-asserted$/);
      expect(result.stderr).toContain('5 connections may have been dropped');
      expect(result.stdout + result.stderr).not.toMatch(/"state": "drained"|\bdrained\b(?! by)/);
      // The new process was drained again: nothing may send it clients while the operator looks.
      expect((await healthOf(adminUrl)).status).toBe('draining');
    } finally {
      running.child.kill('SIGKILL');
    }
  });
});

describe('item 3: a gateway without a drain endpoint (reference 002 shape)', () => {
  let server: LoopbackServer;
  let drainPosts = 0;

  beforeAll(async () => {
    server = await startLoopbackServer((req, res) => {
      if (req.method === 'POST' && req.url === '/admin/drain') drainPosts += 1;
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/health') return send(200, { status: 'ok', instance: 'gw-002' });
      if (req.url === '/api/health/websocket') return send(200, { connectedClients: 150, activeRooms: 45 });
      send(404, { error: 'Not Found' });
    }, '127.44.7.1');
  });
  afterAll(async () => server?.close());

  it('says at once that it cannot be drained this way, exit 3, claims nothing', async () => {
    const result = await runCli([
      'drain', 'gw-002', '--instances', `gw-002=${server.url}`, '--count-path', '/api/health/websocket', '--count-field', 'connectedClients', '-o', 'json', ...FAST,
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('this gateway cannot be drained this way');
    expect(result.stderr).toContain('/admin/drain answered 404');
    expect(result.stdout + result.stderr).not.toMatch(/accepted|still draining|drainedByThisRun": ?true/);
    expect(drainPosts).toBe(1);
  });
});
