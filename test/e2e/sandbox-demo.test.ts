import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

// The README's first command: the whole runbook on the built-in sandbox, as a person runs it.
describe('sandbox demo', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'conduitctl-demo-'));
  afterAll(async () => {
    await runCli(['sandbox', 'down', '--state-dir', stateDir]);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('rehearses status → verify-sticky → scale --migrate 3→2 under a probe (verdict PASS, 0 silent) → scale back, and cleans up', async () => {
    const result = await runCli(
      ['sandbox', 'demo', '--state-dir', stateDir, '--pod-cidr', '127.0.140.0/24', '--service-cidr', '127.0.141.0/24', '--client-ips', '127.0.142-147.1'],
      { timeoutMs: 120_000 },
    );
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('STICKY: each of 6 clients stayed on one instance');
    expect(result.stdout).toMatch(/conduit-2\s+true\s+ok\s+8\s/);
    // scale runs under the probe, which passes a command's output to stderr.
    expect(result.stderr).toContain('conduit-2 removed after draining to 0');
    // The claim is measured: a probe held 8 connections to conduit-2 through the scale-down.
    expect(result.stdout).toMatch(/\$ conduitctl probe ws:\/\/[\d.]+:9088\/v1\/subscribe --connections 8 .* -- conduitctl scale sts\/conduit --replicas 2 --migrate/);
    expect(result.stdout).toMatch(/probe verdict: PASS — 8\/8 connections to conduit-2 held through the scale-down; 8 closes: 8 clean, 0 silent \(notices: 8 migrating\); reconnect p99 \d+ms; 8 open at the end on conduit-[01] ×\d/);
    expect(result.stdout).not.toContain('conduit-2 ×');
    expect(result.stdout).toContain('the probe measured 0 silent drops in 8 closes');
    // After the scale-down every client is still connected, on the two survivors.
    expect(result.stdout).toContain('2 instances: 2 ok, 0 draining, 0 unreachable · 24 connections');
    expect(result.stdout).toContain('scaled statefulset conduit from 2 to 3');
    // The demo started the sandbox, so it stopped it.
    const status = await runCli(['sandbox', 'status', '--state-dir', stateDir, '-o', 'json']);
    expect(JSON.parse(status.stdout).running).toBe(false);
  });
});
