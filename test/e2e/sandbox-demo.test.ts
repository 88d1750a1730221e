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

  it('rehearses status → verify-sticky → scale 3→2 while clients leave → scale back, and cleans up', async () => {
    const result = await runCli(
      ['sandbox', 'demo', '--state-dir', stateDir, '--pod-cidr', '127.0.140.0/24', '--service-cidr', '127.0.141.0/24', '--client-ips', '127.0.142-147.1'],
      { timeoutMs: 120_000 },
    );
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('STICKY: each of 6 clients stayed on one instance');
    expect(result.stdout).toMatch(/conduit-2\s+true\s+ok\s+8\s/);
    expect(result.stdout).toContain('conduit-2 removed after draining to 0');
    // After the scale-down every client is still connected, on the two survivors.
    expect(result.stdout).toContain('2 instances: 2 ok, 0 draining, 0 unreachable · 24 connections');
    expect(result.stdout).toContain('scaled statefulset conduit from 2 to 3');
    // The demo started the sandbox, so it stopped it.
    const status = await runCli(['sandbox', 'status', '--state-dir', stateDir, '-o', 'json']);
    expect(JSON.parse(status.stdout).running).toBe(false);
  });
});
