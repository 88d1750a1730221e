// verify-sticky against a real HAProxy (cookie SERVERID insert, balance roundrobin — references
// 000 and 004) in front of three real reference gateways, run as the built CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { HAPROXY, requireBinary } from '../support/lb/binaries.js';
import { startHaproxy, type Backend, type RunningHaproxy } from '../support/lb/haproxy.js';

const haproxyAvailable = requireBinary('haproxy', HAPROXY, 'haproxy');

interface Report {
  verdict: string;
  reason: string;
  clients: { id: number; answered: number; pinnedTo: string | null; firstMove: { request: number; from: string; to: string } | null; cookiesSent: string[]; connections: number; requests: number }[];
  fleet: { instances: { name: string; clients: number; answers: number }[]; skew: number | null };
  affinity: { kind: string; name?: string; knownAs?: string | null; attributes?: Record<string, string | true>; returned?: boolean; values?: { value: string; instance: string | null }[] };
  faults: { kind: string; label: string; httpStatus: number | null; count: number; clients: number[]; reportedBy: { name: string; count: number }[] }[];
  firstMove: { client: number; request: number; from: string; to: string } | null;
  warnings: string[];
  totals: { requests: number; answered: number; faults: number; connections: number };
}

async function verify(args: string[]): Promise<{ code: number | null; report: Report; stderr: string; stdout: string }> {
  const result = await runCli(['verify-sticky', ...args, '-o', 'json'], { timeoutMs: 60_000 });
  let report: Report;
  try {
    report = JSON.parse(result.stdout) as Report;
  } catch {
    throw new Error(`no JSON report (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return { code: result.code, report, stderr: result.stderr, stdout: result.stdout };
}

function backendsOf(gateway: GatewayProcess): Backend[] {
  return gateway.instances.map((i) => ({ name: i.name, address: i.address, port: i.port }));
}

describe.runIf(haproxyAvailable)('verify-sticky through HAProxy (cookie SERVERID insert, roundrobin)', () => {
  let gateway: GatewayProcess;
  let lb: RunningHaproxy;

  beforeAll(async () => {
    gateway = await startGatewayProcess(['--instances', '3', '--base-ip', '127.0.61.1', '--tick-ms', '0']);
    lb = await startHaproxy(backendsOf(gateway));
  });

  afterAll(async () => {
    await lb?.stop();
    await gateway?.stop();
  });

  it('one client with a cookie jar stays on one instance over 30 fresh connections: STICKY, cookie SERVERID found', async () => {
    const { code, report } = await verify([lb.url, '--requests', '30']);
    expect(report.verdict).toBe('STICKY');
    expect(code).toBe(0);
    const [client] = report.clients;
    expect(client!.answered).toBe(30);
    expect(client!.connections).toBe(30);
    expect(gateway.instances.map((i) => i.name)).toContain(client!.pinnedTo);
    expect(report.affinity).toMatchObject({ kind: 'cookie', name: 'SERVERID', knownAs: expect.stringContaining('HAProxy') as unknown, returned: true });
    expect(report.affinity.attributes).toHaveProperty('path', '/');
    expect(report.affinity.values).toEqual([{ value: expect.stringMatching(/^s[123]$/) as unknown, instance: client!.pinnedTo }]);
  });

  it('six clients each stay put and are spread over all three instances', async () => {
    const { code, report } = await verify([lb.url, '--requests', '10', '--clients', '6']);
    expect(report.verdict).toBe('STICKY');
    expect(code).toBe(0);
    expect(report.clients.every((c) => c.pinnedTo !== null)).toBe(true);
    expect(report.fleet.instances.map((i) => i.name).sort()).toEqual(gateway.instances.map((i) => i.name).sort());
    expect(report.fleet.instances.map((i) => i.clients)).toEqual([2, 2, 2]);
    expect(report.fleet.skew).toBe(1);
  });

  it('with --no-cookies roundrobin moves the client at once: NOT STICKY, and says SERVERID was never sent back', async () => {
    const { code, report, stderr } = await verify([lb.url, '--requests', '10', '--no-cookies']);
    expect(report.verdict).toBe('NOT STICKY');
    expect(code).toBe(1);
    expect(report.firstMove).toMatchObject({ client: 1, request: 2 });
    expect(report.firstMove!.from).not.toBe(report.firstMove!.to);
    expect(report.clients[0]!.cookiesSent).toEqual([]);
    expect(report.affinity).toMatchObject({ kind: 'cookie', name: 'SERVERID', returned: false });
    expect(report.warnings).toContain('the balancer sets SERVERID but --no-cookies never sent it back: this is what cookie-less clients see');
    expect(stderr).toContain('NOT STICKY: client 1 moved from');
  });

  it('through WebSocket upgrades the 101 carries the cookie and the hello names the instance: STICKY', async () => {
    const { code, report } = await verify([lb.url, '--ws', '--requests', '8', '--clients', '3']);
    expect(report.verdict).toBe('STICKY');
    expect(code).toBe(0);
    expect(report.totals.answered).toBe(24);
    expect(report.affinity).toMatchObject({ kind: 'cookie', name: 'SERVERID', returned: true });
    expect(new Set(report.clients.map((c) => c.pinnedTo)).size).toBe(3);
  });

  it('a gateway that is asked for the wrong field (serverId) is reported as answers without an instance, never as an instance', async () => {
    const { code, report } = await verify([lb.url, '--requests', '4', '--instance-field', 'serverId']);
    expect(report.verdict).toBe('INCONCLUSIVE');
    expect(code).toBe(1);
    expect(report.totals).toMatchObject({ requests: 4, answered: 0, faults: 4 });
    expect(report.faults).toEqual([expect.objectContaining({ kind: 'missing-instance', label: 'no instance: no "serverId" field in the body', count: 4 })]);
  });

  it('--instance-header X-Conduit-Instance reads the header instead of the body', async () => {
    const { code, report } = await verify([lb.url, '--requests', '5', '--instance-header', 'X-Conduit-Instance']);
    expect(report.verdict).toBe('STICKY');
    expect(code).toBe(0);
  });
});
