// Issue 14 item 9 (and item 4's int32 replicas): what the built CLI prints.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { runCli, startCli, waitForOutput } from '../../support/run-cli.js';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.js';

describe('item 9: output', () => {
  let gateway: GatewayProcess;
  const scratch = mkdtempSync(join(tmpdir(), 'conduit-output-'));

  beforeAll(async () => {
    gateway = await startGatewayProcess(['--instances', '1', '--base-ip', '127.44.10.1', '--tick-ms', '0']);
  });
  afterAll(async () => {
    await gateway?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const fleet = () => ['--instances', `conduit-0=${gateway.adminUrl(0)}`];

  it('status -w -o yaml separates its documents with ---, so the stream parses', async () => {
    const running = startCli(['status', ...fleet(), '-w', '--interval', '100ms', '-o', 'yaml']);
    await waitForOutput(running, (text) => text.split('FleetStatus').length > 3);
    running.child.kill('SIGINT');
    const { stdout } = await running.result;
    const documents = YAML.parseAllDocuments(stdout);
    expect(documents.length).toBeGreaterThanOrEqual(3);
    for (const document of documents) {
      expect(document.errors).toEqual([]);
      expect(document.toJS()).toMatchObject({ kind: 'FleetStatus' });
    }
  });

  it('says "1 instance" and "1 connection", not "1 instances"', async () => {
    const result = await runCli(['status', ...fleet()]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 instance: 1 ok');
    expect(result.stdout).not.toContain('1 instances');
  });

  it('sandbox down -o json prints a report with a kind; sandbox status has a kind too', async () => {
    const down = await runCli(['sandbox', 'down', '--state-dir', scratch, '-o', 'json']);
    expect(down.code).toBe(0);
    expect(JSON.parse(down.stdout)).toEqual({ kind: 'SandboxDown', outcome: 'not-running', stateDir: scratch });
    const status = await runCli(['sandbox', 'status', '--state-dir', scratch, '-o', 'json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ kind: 'SandboxStatus', running: false });
  });
});

describe('item 4: --replicas is an int32', () => {
  it('--replicas 99999999999 is a usage error before anything is read', async () => {
    const result = await runCli(['scale', 'sts/conduit', '--replicas', '99999999999', '--kubeconfig', '/nonexistent/kubeconfig']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--replicas: 99999999999 is out of range (0–2147483647)');
  });

  it('--replicas 2147483647 is in range (it fails later, on the missing kubeconfig)', async () => {
    const result = await runCli(['scale', 'sts/conduit', '--replicas', '2147483647', '--kubeconfig', '/nonexistent/kubeconfig']);
    expect(result.stderr).not.toContain('out of range');
  });
});
