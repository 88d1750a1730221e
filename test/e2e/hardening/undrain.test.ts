// Issue 14 item 7: `conduitctl undrain` as a process, on a file fleet (real reference gateways)
// and on Kubernetes (kube-sim with real gateway pods). Done = /health answers ok again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxWorld, type SandboxWorld } from '../../../src/sandbox/world.js';
import { runCli } from '../../support/run-cli.js';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.js';
import { healthOf, writeFleetFile } from '../../support/fleet-file.js';
import { startLoopbackServer, type LoopbackServer } from '../../support/loopback-server.js';

const drainDirectly = (adminUrl: string) => fetch(`${adminUrl}/admin/drain`, { method: 'POST' });

describe('item 7: conduitctl undrain on a file fleet', () => {
  let gateway: GatewayProcess;
  let fleet: ReturnType<typeof writeFleetFile>;

  beforeAll(async () => {
    gateway = await startGatewayProcess(['--instances', '3', '--base-ip', '127.44.14.1', '--tick-ms', '0']);
    fleet = writeFleetFile(gateway);
  });
  afterAll(async () => {
    await gateway?.stop();
    fleet?.remove();
  });

  it('undrains the named instance and waits until /health says ok (exit 0)', async () => {
    await drainDirectly(gateway.adminUrl(1));
    expect((await healthOf(gateway.adminUrl(1))).status).toBe('draining');
    const result = await runCli(['undrain', 'conduit-1', '--fleet', fleet.path, '--poll-interval', '200ms', '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      kind: 'UndrainReport',
      outcome: 'undrained',
      instances: [{ name: 'conduit-1', state: 'serving', undrainedByThisRun: true }],
    });
    expect((await healthOf(gateway.adminUrl(1))).status).toBe('ok');
  });

  it('with --fleet and no names: the whole fleet; serving instances are left alone', async () => {
    await drainDirectly(gateway.adminUrl(0));
    await drainDirectly(gateway.adminUrl(2));
    const result = await runCli(['undrain', '--fleet', fleet.path, '--poll-interval', '200ms']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('conduit-1: already serving (/health ok), nothing sent');
    for (const i of [0, 1, 2]) expect((await healthOf(gateway.adminUrl(i))).status).toBe('ok');
  });

  it('bad input exits 2 and changes nothing', async () => {
    await drainDirectly(gateway.adminUrl(2));
    for (const args of [['conduit-9'], ['Conduit-2'], ['conduit-2', '--timeout', '10y']]) {
      const result = await runCli(['undrain', ...args, '--fleet', fleet.path]);
      expect(result.code).toBe(2);
    }
    expect((await healthOf(gateway.adminUrl(2))).status).toBe('draining');
    await runCli(['undrain', 'conduit-2', '--fleet', fleet.path]);
  });
});

describe('item 7: undrain against a gateway with no undrain endpoint', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startLoopbackServer((req, res) => {
      res.writeHead(req.url === '/health' ? 503 : 404, { 'content-type': 'application/json' });
      res.end(req.url === '/health' ? '{"status":"draining"}' : '{"error":"Not Found"}');
    }, '127.44.15.1');
  });
  afterAll(async () => server?.close());

  it('says at once that it cannot be undrained this way, exit 3', async () => {
    const result = await runCli(['undrain', 'gw', '--instances', `gw=${server.url}`, '--poll-interval', '200ms']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('this gateway cannot be undrained this way');
  });
});

describe('item 7: conduitctl undrain on Kubernetes (kube-sim, real gateway pods)', () => {
  let world: SandboxWorld;
  const podAdmin = (name: string) => `http://${(world.store.get('Pod', world.namespace, name)!.status as { podIP: string }).podIP}:9087`;

  beforeAll(async () => {
    world = await startSandboxWorld({ podCidr: '127.44.20.0/24', serviceCidr: '127.44.21.0/24' });
    await world.waitUntilReady(45_000);
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });

  it('undrain POD through pods/proxy; undrain sts/NAME covers every pod', async () => {
    await drainDirectly(podAdmin('conduit-1'));
    const one = await runCli(['undrain', 'conduit-1', '--kubeconfig', world.kubeconfigPath, '-n', world.namespace, '--poll-interval', '200ms']);
    expect(one.code, one.stderr).toBe(0);
    expect((await healthOf(podAdmin('conduit-1'))).status).toBe('ok');
    expect(world.sim.requestLog().some((e) => e.method === 'POST' && e.path.endsWith('/pods/conduit-1:9087/proxy/admin/undrain'))).toBe(true);

    await drainDirectly(podAdmin('conduit-0'));
    const all = await runCli(['undrain', 'sts/conduit', '--kubeconfig', world.kubeconfigPath, '-n', world.namespace, '--poll-interval', '200ms', '-o', 'json']);
    expect(all.code, all.stderr).toBe(0);
    const report = JSON.parse(all.stdout) as { instances: { name: string; state: string; undrainedByThisRun: boolean }[] };
    expect(report.instances.every((i) => i.state === 'serving')).toBe(true);
    expect(report.instances.filter((i) => i.undrainedByThisRun).map((i) => i.name)).toEqual(['conduit-0']);
  }, 60_000);

  it('on Kubernetes a bare undrain names nothing: exit 2', async () => {
    const result = await runCli(['undrain', '--kubeconfig', world.kubeconfigPath, '-n', world.namespace]);
    expect(result.code).toBe(2);
  });
});
