import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/run-cli.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { closeClients, connectClients } from '../support/ws-clients.js';
import { useDrainFleetWorld } from '../support/drain-fleet-world.js';
import { until } from '../support/until.js';
import { healthOf, setFault } from '../support/fleet-file.js';

const FAST = ['--min-drain-time', '1s', '--poll-interval', '200ms'];

describe('drain on a fleet file (real gateways, real clients)', () => {
  const w = useDrainFleetWorld(3, '127.0.32.1');

  it('waits while w.clients are connected and exits 0 after they leave', async () => {
    w.clients = await connectClients(w.gateway.wsUrl(0), 3, '127.0.33.1');
    w.running = startCli(['drain', 'conduit-0', '--fleet', w.fleet.path, '-o', 'json', ...FAST]);
    await until(async () => (await healthOf(w.gateway.adminUrl(0))).status === 'draining', 'conduit-0 to drain');
    // Still waiting: the w.clients are there.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(w.running.child.exitCode).toBeNull();

    await closeClients(w.clients);
    const result = await w.running.result;
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.outcome).toBe('drained');
    expect(report.instances).toEqual([expect.objectContaining({ name: 'conduit-0', state: 'drained', connections: 0 })]);
    // Drained instances stay draining: nothing else may send them w.clients.
    expect((await healthOf(w.gateway.adminUrl(0))).status).toBe('draining');
  });

  it('never reports drained when metrics are garbage: exit 4 at the deadline, state described', async () => {
    await setFault(w.gateway.adminUrl(1), { metrics: 'garbage' });
    const result = await runCli(['drain', 'conduit-1', '--fleet', w.fleet.path, '--timeout', '3s', ...FAST]);
    expect(result.code).toBe(4);
    expect(result.stdout).toMatch(/conduit-1\s+unknown\s+unknown/);
    expect(result.stderr).toMatch(/timed out after .*conduit-1 still draining, unknown connections, not removed/);
  });

  it('undrains what it drained and exits 130 on SIGINT', async () => {
    w.clients = await connectClients(w.gateway.wsUrl(2), 2, '127.0.33.2');
    w.running = startCli(['drain', 'conduit-2', '--fleet', w.fleet.path, ...FAST]);
    await until(async () => (await healthOf(w.gateway.adminUrl(2))).status === 'draining', 'conduit-2 to drain');
    w.running.child.kill('SIGINT');
    const result = await w.running.result;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/interrupted: conduit-2 undrained, 2 connections, not removed/);
    expect((await healthOf(w.gateway.adminUrl(2))).status).toBe('ok');
  });

  it('keeps the instance draining on SIGINT with --keep-draining', async () => {
    w.clients = await connectClients(w.gateway.wsUrl(2), 1, '127.0.33.3');
    w.running = startCli(['drain', 'conduit-2', '--fleet', w.fleet.path, '--keep-draining', ...FAST]);
    await until(async () => (await healthOf(w.gateway.adminUrl(2))).status === 'draining', 'conduit-2 to drain');
    w.running.child.kill('SIGINT');
    expect((await w.running.result).code).toBe(130);
    expect((await healthOf(w.gateway.adminUrl(2))).status).toBe('draining');
  });

  it('refuses (exit 3) when the drain is accepted but /health never says draining', async () => {
    await setFault(w.gateway.adminUrl(1), { drain: 'ignore' });
    const result = await runCli(['drain', 'conduit-1', '--fleet', w.fleet.path, '--confirm-timeout', '1s', ...FAST]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('never reported "draining"');
  });

  it('treats an instance that is already draining as a no-op success', async () => {
    await fetch(`${w.gateway.adminUrl(1)}/admin/drain`, { method: 'POST' });
    const result = await runCli(['drain', 'conduit-1', '--fleet', w.fleet.path, '-o', 'json', ...FAST]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).instances[0]).toMatchObject({ state: 'drained', drainedByThisRun: false });
  });
});

describe('drain against a gateway that requires an admin token', () => {
  const TOKEN = 's3cret-admin-token-9f8e7d';
  let gateway: GatewayProcess;

  beforeAll(async () => {
    gateway = await startGatewayProcess(['--bind', '127.0.34.1', '--name', 'conduit-secure', '--tick-ms', '0'], { CONDUIT_ADMIN_TOKEN: TOKEN });
  });
  afterAll(async () => gateway?.stop());

  it('a missing token: exit 3 naming the endpoint', async () => {
    const result = await runCli(['drain', 'conduit-secure', '--instances', `conduit-secure=${gateway.adminUrl()}`, ...FAST]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${gateway.adminUrl()}/admin/drain`);
    expect(result.stderr).toMatch(/token/i);
  });

  it('a wrong token: exit 3, and the token appears nowhere in the output, even at -vvv', async () => {
    const wrong = 'wrong-token-value-123456';
    const result = await runCli(['drain', 'conduit-secure', '--instances', `conduit-secure=${gateway.adminUrl()}`, '-vvv', ...FAST], {
      env: { CONDUIT_ADMIN_TOKEN: wrong },
    });
    expect(result.code).toBe(3);
    expect(result.stdout + result.stderr).not.toContain(wrong);
  });

  it('the right token drains (and is never printed)', async () => {
    const result = await runCli(['drain', 'conduit-secure', '--instances', `conduit-secure=${gateway.adminUrl()}`, '-vvv', ...FAST], {
      env: { CONDUIT_ADMIN_TOKEN: TOKEN },
    });
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });
});

describe('drain --local (preStop hook)', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess(['--bind', '127.0.0.1', '--name', 'conduit-local', '--tick-ms', '0']);
  });
  afterAll(async () => gateway?.stop());

  it('drains the gateway on localhost and returns as soon as it is empty', async () => {
    const clients = await connectClients(gateway.wsUrl(), 1);
    const running = startCli(['drain', '--local', '--local-url', gateway.adminUrl(), ...FAST], { env: { POD_NAME: 'conduit-local' } });
    await until(async () => (await healthOf(gateway.adminUrl())).status === 'draining', 'the local gateway to drain');
    await closeClients(clients);
    const result = await running.result;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/conduit-local\s+drained\s+0/);
  });

  it('without $POD_NAME it calls the gateway what its /health says, not "localhost"', async () => {
    const result = await runCli(['drain', '--local', '--local-url', gateway.adminUrl(), ...FAST], { env: { POD_NAME: undefined } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/conduit-local\s+drained\s+0/);
    expect(result.stdout + result.stderr).not.toContain('localhost');
  });
});
