// verify-sticky against a real nginx (upstream with ip_hash, and plain round-robin — references
// 000 and 004) in front of three real reference gateways, run as the built CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { NGINX, requireBinary } from '../support/lb/binaries.js';
import { startNginx, type RunningNginx } from '../support/lb/nginx.js';

const nginxAvailable = requireBinary('nginx', NGINX, 'nginx-light');

interface Report {
  verdict: string;
  reason: string;
  clients: { id: number; sourceAddress: string | null; localAddresses: string[]; answered: number; pinnedTo: string | null }[];
  fleet: { instances: { name: string; clients: number }[] };
  affinity: { kind: string; note?: string };
  firstMove: { client: number; request: number; from: string; to: string } | null;
  warnings: string[];
  totals: { answered: number };
}

async function verify(args: string[]): Promise<{ code: number | null; report: Report; stderr: string }> {
  const result = await runCli(['verify-sticky', ...args, '-o', 'json'], { timeoutMs: 60_000 });
  try {
    return { code: result.code, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
  } catch {
    throw new Error(`no JSON report (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

const homes = (report: Report) => report.fleet.instances.filter((i) => i.clients > 0).length;

describe.runIf(nginxAvailable)('verify-sticky through nginx', () => {
  let gateway: GatewayProcess;
  let ipHash: RunningNginx;
  let roundRobin: RunningNginx;

  beforeAll(async () => {
    gateway = await startGatewayProcess(['--instances', '3', '--base-ip', '127.0.63.1', '--tick-ms', '0']);
    const backends = gateway.instances.map((i) => ({ name: i.name, address: i.address, port: i.port }));
    ipHash = await startNginx(backends, { balance: 'ip_hash' });
    roundRobin = await startNginx(backends, { balance: 'round-robin' });
  });

  afterAll(async () => {
    await ipHash?.stop();
    await roundRobin?.stop();
    await gateway?.stop();
  });

  it('ip_hash: each source address stays on one instance, and addresses differing in the third octet spread', async () => {
    // --tolerance 200%: how ip_hash spreads 12 addresses is its hash's business; the test asks for
    // pinning and for more than one instance, not for an even split.
    const { code, report } = await verify([ipHash.url, '--source-ips', '127.0.1-12.1', '--requests', '6', '--tolerance', '200%']);
    expect(report.verdict).toBe('STICKY');
    expect(code).toBe(0);
    expect(report.clients).toHaveLength(12);
    expect(report.clients.map((c) => c.localAddresses)).toEqual(report.clients.map((c) => [c.sourceAddress]));
    expect(report.clients.every((c) => c.pinnedTo !== null && c.answered === 6)).toBe(true);
    expect(homes(report)).toBeGreaterThan(1);
    expect(report.affinity.kind).toBe('none');
    expect(report.warnings.some((w) => w.includes('/24'))).toBe(false);
  });

  it('ip_hash: clients in one /24 all land on one instance, and the report says why', async () => {
    const { code, report } = await verify([ipHash.url, '--source-ips', '127.0.0.20-127.0.0.40', '--requests', '4']);
    expect(report.verdict).toBe('STICKY');
    expect(code).toBe(0);
    expect(report.clients).toHaveLength(21);
    expect(homes(report)).toBe(1);
    expect(report.warnings.some((w) => w.startsWith('every client came from 127.0.0.0/24: nginx ip_hash hashes only the first three octets'))).toBe(true);
  });

  it('ip_hash: with --expect-instances 3 the same crowd is UNEVEN', async () => {
    const { code, report } = await verify([ipHash.url, '--source-ips', '127.0.0.20-127.0.0.25', '--requests', '3', '--expect-instances', '3']);
    expect(report.verdict).toBe('UNEVEN');
    expect(code).toBe(1);
  });

  it('ip_hash through WebSocket upgrades: STICKY per source address', async () => {
    const { code, report } = await verify([ipHash.url, '--ws', '--source-ips', '127.0.1-6.1', '--requests', '4', '--tolerance', '200%']);
    expect(report.verdict).toBe('STICKY');
    expect(code).toBe(0);
    expect(report.totals.answered).toBe(24);
  });

  it('round-robin: NOT STICKY, naming the client, the request and both instances', async () => {
    const { code, report, stderr } = await verify([roundRobin.url, '--requests', '10']);
    expect(report.verdict).toBe('NOT STICKY');
    expect(code).toBe(1);
    const names = gateway.instances.map((i) => i.name);
    expect(report.firstMove).toMatchObject({ client: 1, request: 2 });
    expect(names).toContain(report.firstMove!.from);
    expect(names).toContain(report.firstMove!.to);
    expect(report.firstMove!.from).not.toBe(report.firstMove!.to);
    expect(report.reason).toBe(`client 1 moved from ${report.firstMove!.from} to ${report.firstMove!.to} at request 2 of 10`);
    expect(stderr).toContain(report.reason);
  });

  it('round-robin with cookies kept is still NOT STICKY: nothing pins the client', async () => {
    const { code, report } = await verify([roundRobin.url, '--requests', '6', '--clients', '3']);
    expect(report.verdict).toBe('NOT STICKY');
    expect(code).toBe(1);
    expect(report.affinity.kind).toBe('none');
  });
});
