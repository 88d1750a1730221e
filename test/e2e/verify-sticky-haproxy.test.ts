// verify-sticky against a real HAProxy (cookie SERVERID insert, balance roundrobin — references
// 000 and 004) in front of three real reference gateways, run as the built CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { HAPROXY, requireBinary } from '../support/lb/binaries.js';
import { startHaproxy, type Backend, type RunningHaproxy } from '../support/lb/haproxy.js';
import { freePort } from '../support/lb/process.js';

const haproxyAvailable = requireBinary('haproxy', HAPROXY, 'haproxy');

interface Report {
  verdict: string;
  reason: string;
  clients: { id: number; answered: number; pinnedTo: string | null; firstMove: { request: number; from: string; to: string } | null; cookiesSent: string[]; connections: number; requests: number }[];
  fleet: { instances: { name: string; clients: number; answers: number }[]; skew: number | null };
  affinity: { kind: string; name?: string; knownAs?: string | null; attributes?: Record<string, string | true>; returned?: boolean; values?: { fingerprint: string; value?: string; instance: string | null }[] };
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
    expect(report.affinity.values).toEqual([{ fingerprint: expect.stringMatching(/^#[0-9a-f]{12}$/) as unknown, instance: client!.pinnedTo }]);
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

  it('--reuse-connections keeps one keep-alive connection per client, and the report says what that does not test', async () => {
    const { code, report } = await verify([lb.url, '--requests', '10', '--reuse-connections']);
    expect(report.verdict).toBe('STICKY');
    expect(code).toBe(0);
    expect(report.totals.connections).toBeLessThan(10);
    expect(report.warnings).toContain('connections were reused (--reuse-connections): a balancer that picks per connection chose only once per client');
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

async function drain(gateway: GatewayProcess, index: number): Promise<void> {
  const response = await fetch(`${gateway.adminUrl(index)}/admin/drain`, { method: 'POST' });
  expect(response.status).toBe(202);
}

describe.runIf(haproxyAvailable)('verify-sticky through HAProxy: faults are reported with their counts', () => {
  let gateway: GatewayProcess;
  let lb: RunningHaproxy;

  beforeAll(async () => {
    gateway = await startGatewayProcess(['--instances', '3', '--base-ip', '127.0.62.1', '--tick-ms', '0']);
    // Checks every 60 s: HAProxy needs 3 failed checks to mark a server DOWN, so for minutes after
    // a drain it still routes cookie holders (and round-robin newcomers) to the draining gateway.
    lb = await startHaproxy(backendsOf(gateway), {
      checkInterval: '60s',
      frontendLines: ['http-request redirect location /login code 302 if { path /old }'],
    });
    await drain(gateway, 1);
  });

  afterAll(async () => {
    await lb?.stop();
    await gateway?.stop();
  });

  it('a draining instance still receives its cookie holders: their 503s are counted and attributed to it, never as answers', async () => {
    const drained = gateway.instances[1]!.name;
    const { code, report } = await verify([lb.url, '--requests', '10', '--clients', '6']);
    expect(report.verdict).toBe('INCONCLUSIVE');
    expect(code).toBe(1);
    const held = report.clients.filter((c) => c.answered === 0);
    expect(held.length).toBeGreaterThan(0);
    // Each of them got the SERVERID cookie with the 503 and sent it back: HAProxy kept them on the drained gateway.
    expect(held.every((c) => c.cookiesSent.includes('SERVERID'))).toBe(true);
    expect(report.faults).toEqual([
      {
        kind: 'http-error',
        label: 'HTTP 503 draining',
        httpStatus: 503,
        count: held.length * 10,
        clients: held.map((c) => c.id).sort((a, b) => a - b),
        reportedBy: [{ name: drained, count: held.length * 10 }],
        detail: 'HTTP 503',
      },
    ]);
    expect(report.fleet.instances.map((i) => i.name)).not.toContain(drained);
    expect(report.clients.filter((c) => c.answered > 0).every((c) => c.pinnedTo !== null)).toBe(true);
    expect(report.reason).toContain(`HTTP 503 draining from ${drained}`);
  });

  it('the table names the fault, its count and the instance that said it', async () => {
    const result = await runCli(['verify-sticky', lb.url, '--requests', '3', '--clients', '3']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`HTTP 503 draining\\s+3\\s+\\d+\\s+${gateway.instances[1]!.name}×3`));
    expect(result.stdout).toMatch(/INCONCLUSIVE: 1 of 3 clients got fewer than 2 answers/);
  });

  it('a redirect is reported, not followed', async () => {
    const { code, report } = await verify([lb.url, '--path', '/old', '--requests', '3']);
    expect(report.verdict).toBe('INCONCLUSIVE');
    expect(code).toBe(1);
    expect(report.faults).toEqual([expect.objectContaining({ kind: 'redirect', label: 'redirect 302 → /login', httpStatus: 302, count: 3 })]);
  });

  it('an unreachable balancer is INCONCLUSIVE with every refused request counted', async () => {
    const port = await freePort();
    const { code, report } = await verify([`http://127.0.0.1:${port}`, '--requests', '5', '--clients', '2']);
    expect(report.verdict).toBe('INCONCLUSIVE');
    expect(code).toBe(1);
    expect(report.faults).toEqual([expect.objectContaining({ kind: 'unreachable', label: 'unreachable: ECONNREFUSED', count: 10, clients: [1, 2] })]);
  });
});
