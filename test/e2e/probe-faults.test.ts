// `conduitctl probe` (the built CLI) against what goes wrong: a refused port, an upgrade refused
// with 503, a TLS certificate it must not trust, a gateway that skips ticks, and bad flags.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { runCli } from '../support/run-cli.js';

// This file's loopback range: 127.40.30.0/24.
const GATEWAY_IP = '127.40.30.1';
const FAULTY_IP = '127.40.30.2';
const TLS_IP = '127.40.30.3';
const NOTHING_IP = '127.40.30.9';

interface Report {
  kind: string;
  verdict: string;
  outcome: string;
  reasons: string[];
  connections: { failuresByCause: Record<string, number>; failuresByHttpStatus: Record<string, number>; neverOpened: number };
  gaps: number;
  gapsByInstance: Record<string, number>;
}

const probe = (url: string, args: string[]) => runCli(['probe', url, '--connections', '5', '--connect-timeout', '2s', ...args], { timeoutMs: 60_000 });

describe('probe against faults', () => {
  let gateway: GatewayProcess;
  let faulty: GatewayProcess;
  let tls: { server: Server; url: string; dir: string; caFile: string };

  beforeAll(async () => {
    gateway = await startGatewayProcess(['--bind', GATEWAY_IP, '--name', 'gw-drained', '--tick-ms', '0']);
    faulty = await startGatewayProcess(['--bind', FAULTY_IP, '--name', 'gw-skipping', '--tick-ms', '100', '--enable-faults', '--fault', 'ticks=skip']);
    const dir = await mkdtemp(join(tmpdir(), 'conduit-probe-tls-'));
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2',
      '-subj', `/CN=${TLS_IP}`, '-addext', `subjectAltName=IP:${TLS_IP}`,
    ]);
    const server = createServer({ cert: await readFile(join(dir, 'cert.pem')), key: await readFile(join(dir, 'key.pem')) });
    const wss = new WebSocketServer({ server, perMessageDeflate: false });
    wss.on('connection', (ws) => ws.send(JSON.stringify({ type: 'hello', instance: 'gw-tls' })));
    await new Promise<void>((resolve) => server.listen(0, TLS_IP, resolve));
    tls = { server, dir, caFile: join(dir, 'cert.pem'), url: `wss://${TLS_IP}:${(server.address() as AddressInfo).port}/v1/subscribe` };
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await faulty?.stop();
    if (tls) {
      tls.server.closeAllConnections();
      await new Promise<void>((resolve) => tls.server.close(() => resolve()));
      await rm(tls.dir, { recursive: true, force: true });
    }
  });

  it('a refused port: exit 1, "no connection opened", the cause counted', async () => {
    const result = await probe(`ws://${NOTHING_IP}:9/v1/subscribe`, ['--duration', '5s', '-o', 'json']);
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report).toMatchObject({ kind: 'ProbeReport', verdict: 'FAIL', outcome: 'unreachable' });
    expect(report.connections.failuresByCause.refused).toBeGreaterThanOrEqual(5);
    expect(result.stderr).toContain('FAIL: no connection opened: refused');
    expect(result.stderr).toContain('ECONNREFUSED');
  });

  it('an upgrade refused with 503 (a draining gateway): exit 1, the HTTP status reported', async () => {
    const drained = await fetch(`${gateway.adminUrl()}/admin/drain`, { method: 'POST' });
    expect(drained.status).toBe(202);
    const result = await probe(gateway.wsUrl(), ['--duration', '5s']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('no connection opened: refused upgrade HTTP 503');
    expect(result.stdout).toContain('HTTP 503 instead of 101');
  });

  it('a certificate it cannot trust: exit 1 naming TLS; trusted with --ca-file, or skipped with a warning', async () => {
    const untrusted = await probe(tls.url, ['--duration', '1s', '-o', 'json']);
    expect(untrusted.code, untrusted.stderr).toBe(1);
    const report = JSON.parse(untrusted.stdout) as Report;
    expect(report.connections.failuresByCause.tls).toBeGreaterThanOrEqual(5);
    expect(untrusted.stderr).toMatch(/no connection opened: tls \d+; first: (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/);

    const trusted = await probe(tls.url, ['--duration', '1s', '--ca-file', tls.caFile]);
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(trusted.stdout).toContain('PASS');

    const skipped = await probe(tls.url, ['--duration', '1s', '--insecure-skip-tls-verify']);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stderr).toContain('--insecure-skip-tls-verify');

    const notPem = join(tls.dir, 'not-a-cert.txt');
    await writeFile(notPem, 'hello');
    const bad = await probe(tls.url, ['--duration', '1s', '--ca-file', notPem]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no PEM certificate');
  });

  it('a gateway that skips ticks: gaps counted per instance, --max-gap 0 exits 1, a higher limit passes', async () => {
    const strict = await probe(faulty.wsUrl(), ['--duration', '2s', '-o', 'json']);
    expect(strict.code, strict.stderr).toBe(1);
    const report = JSON.parse(strict.stdout) as Report;
    expect(report.gaps).toBeGreaterThan(0);
    expect(report.gapsByInstance).toEqual({ 'gw-skipping': report.gaps });
    expect(report.reasons).toEqual([`${report.gaps} missing sequence numbers (max 0)`]);

    const lenient = await probe(faulty.wsUrl(), ['--duration', '1s', '--max-gap', '100000']);
    expect(lenient.code, lenient.stderr).toBe(0);
  });

  it('bad flags through the bundle: exit 2 with the reason, and a URL password is never echoed', async () => {
    const url = `ws://${NOTHING_IP}:9/v1/subscribe`;
    // The full list runs in process (test/cli/probe.test.ts); these few go through the bundle.
    const cases: Array<{ args: string[]; says: string }> = [
      { args: ['probe', url], says: 'say how long to probe' },
      { args: ['probe', url, '--duration', '1s', '--', 'true'], says: 'cannot be used together' },
      { args: ['probe', 'ws://user:hunter2@example.com/', '--duration', '1s'], says: 'holds credentials' },
      { args: ['probe', url, '--rollout', 'sts/conduit', '--fleet', '/nonexistent.yaml'], says: '--rollout needs a Kubernetes StatefulSet' },
    ];
    for (const { args, says } of cases) {
      const result = await runCli(args, { timeoutMs: 30_000 });
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(says);
      expect(result.stderr + result.stdout).not.toContain('hunter2');
    }
  });

  it('--help shows the bounds and examples', async () => {
    const result = await runCli(['probe', '--help']);
    expect(result.code).toBe(0);
    for (const text of ['--rollout <sts/NAME>', '--restart', '--max-silent', '--no-notices', 'Examples:', '-- helm upgrade']) expect(result.stdout).toContain(text);
  });
});
