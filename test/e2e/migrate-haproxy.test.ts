// drain --migrate --reconnect-url through a real HAProxy (references 000/004: roundrobin, cookie
// SERVERID insert, httpchk GET /health) on a file fleet: the clients are sent back through the
// load balancer only once HAProxy no longer routes fresh upgrades to the drained gateway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFleetFile } from '../support/fleet-file.js';
import { FollowingClients } from '../support/ws-clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { HAPROXY, requireBinary } from '../support/lb/binaries.js';
import { startHaproxy, type RunningHaproxy } from '../support/lb/haproxy.js';
import { runCli } from '../support/run-cli.js';
import { until } from '../support/until.js';

const haproxyAvailable = requireBinary('haproxy', HAPROXY, 'haproxy');

describe.runIf(haproxyAvailable)('drain --migrate --reconnect-url through HAProxy (cookie SERVERID)', () => {
  let gateway: GatewayProcess;
  let fleet: ReturnType<typeof writeFleetFile>;
  let lb: RunningHaproxy;
  let swarm: FollowingClients | undefined;

  beforeAll(async () => {
    gateway = await startGatewayProcess(['--instances', '3', '--base-ip', '127.45.30.1', '--tick-ms', '0']);
    fleet = writeFleetFile(gateway);
    lb = await startHaproxy(
      gateway.instances.map((i) => ({ name: i.name, address: i.address, port: i.port })),
      // 3 failed checks 2 s apart take a server out: ~6 s, so the drain's first look (well under a
      // second after /health says draining) reliably finds conduit-1 still in rotation.
      { checkInterval: '2s' },
    );
  });

  afterAll(async () => {
    await swarm?.stop();
    await lb?.stop();
    await gateway?.stop();
    fleet?.remove();
  });

  it('waits until HAProxy stops routing to conduit-1, then its clients land on the other servers, 0 silent', async () => {
    const url = `${lb.url.replace(/^http/, 'ws')}/v1/subscribe`;
    swarm = await FollowingClients.open({ url, count: 90, localAddress: '127.45.31.1' });
    const onSource = swarm.snapshot().byInstance['conduit-1'] ?? 0;
    expect(onSource).toBeGreaterThan(0);

    const result = await runCli(
      ['drain', 'conduit-1', '--migrate', '--reconnect-url', url, '--fleet', fleet.path, '-o', 'json', '--min-drain-time', '1s', '--poll-interval', '200ms', '--rate', '200/s', '--reconnect-after', '0s-300ms', '-v'],
      { timeoutMs: 90_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    // HAProxy needs 3 failed checks (2 s apart) to take the server out: the first look finds it still in.
    expect(result.stderr).toMatch(/conduit-1: still in rotation: fresh upgrades through .* still reach conduit-1 \(HTTP 503 instead of 101\)/);
    expect(result.stderr).toMatch(/conduit-1: out of rotation: 5 fresh upgrades through .* landed on conduit-0, conduit-2, none on conduit-1/);
    const report = JSON.parse(result.stdout);
    expect(report.outcome).toBe('drained');
    expect(report.migrations).toEqual([expect.objectContaining({ source: 'conduit-1', outcome: 'completed', moved: onSource })]);
    for (const batch of report.migrations[0].batches) expect(batch.targets).toEqual([url]);

    await until(() => swarm!.snapshot().moves.filter((m) => m.arrivedOn).length === onSource, 'the moved clients to reconnect through HAProxy', 30_000, 50);
    const stats = swarm.snapshot();
    expect(stats.silent).toEqual([]);
    expect(stats.failedReconnects).toBe(0);
    expect(stats.moves.every((m) => m.from === 'conduit-1' && m.closeCode === 1012)).toBe(true);
    expect(stats.moves.every((m) => m.arrivedOn === 'conduit-0' || m.arrivedOn === 'conduit-2')).toBe(true);
    expect(stats.byInstance['conduit-1']).toBeUndefined();
    expect(stats.open).toBe(90);
  }, 120_000);
});
