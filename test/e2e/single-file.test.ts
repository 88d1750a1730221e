// dist/conduitctl.mjs (`npm run bundle`, for gateway images) copied ALONE into an empty folder (no
// package.json, no node_modules anywhere up the tree) against a file fleet and the sandbox world,
// and no Kubernetes command printing a warning on stderr. Runs under the Node that runs vitest:
// .ci/run runs this file again under Node 24.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { isMutating } from '../../src/sandbox/kube-sim/index.js';
import { startSandboxWorld, type SandboxWorld } from '../../src/sandbox/world.js';
import { writeFleetFile } from '../support/fleet-file.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { closeClients, connectClients } from '../support/ws-clients.js';

const SINGLE_FILE = fileURLToPath(new URL('../../dist/conduitctl.mjs', import.meta.url));

/** What Node prints for a process warning (deprecations, MaxListeners, experimental features …). */
const NODE_WARNING = /\(node:\d+\)|Warning:|DEP0\d{3}/;

function expectNoWarning(result: CliResult): void {
  expect(result.stderr).not.toMatch(NODE_WARNING);
}

/** Every node_modules folder from `dir` up to the root: the single file must need none. */
function nodeModulesAbove(dir: string): string[] {
  const found: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'node_modules'))) found.push(join(at, 'node_modules'));
    if (dirname(at) === at) return found;
  }
}

describe(`dist/conduitctl.mjs alone in an empty folder (Node ${process.versions.node})`, () => {
  let folder: string;
  let cli: string;
  let gateway: GatewayProcess;
  let fleet: ReturnType<typeof writeFleetFile>;
  let world: SandboxWorld;
  let clients: WebSocket[] = [];
  const alone = (args: string[]) => runCli(args, { cliPath: cli, cwd: folder, timeoutMs: 60_000 });
  const bundled = (args: string[]) => runCli(args, { timeoutMs: 60_000 });

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'conduitctl-single-'));
    cli = join(folder, 'conduitctl.mjs');
    copyFileSync(SINGLE_FILE, cli);
    gateway = await startGatewayProcess(['--instances', '2', '--base-ip', '127.46.10.1', '--tick-ms', '0']);
    fleet = writeFleetFile(gateway);
    world = await startSandboxWorld({ podCidr: '127.46.20.0/24', serviceCidr: '127.46.21.0/24' });
    await world.waitUntilReady(45_000);
    const conduit2 = world.store.get('Pod', world.namespace, 'conduit-2')?.status as { podIP?: string } | undefined;
    clients = await connectClients(`ws://${conduit2?.podIP}:9088/v1/subscribe`, 2);
  }, 90_000);

  afterAll(async () => {
    await closeClients(clients);
    await world?.close();
    await gateway?.stop();
    fleet?.remove();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('is one file with nothing to resolve next to it or above it', () => {
    expect(readdirSync(folder)).toEqual(['conduitctl.mjs']);
    expect(nodeModulesAbove(folder)).toEqual([]);
    expect(statSync(cli).size).toBeGreaterThan(0);
  });

  it('--version and --help answer', async () => {
    const version = await alone(['--version']);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await alone(['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('status');
  });

  it('status of a file fleet: real gateways, JSON, nothing on stderr', async () => {
    const result = await alone(['status', '--fleet', fleet.path, '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as { instances: { name: string; health: string }[] };
    expect(report.instances.map((i) => [i.name, i.health])).toEqual([
      ['conduit-0', 'ok'],
      ['conduit-1', 'ok'],
    ]);
  });

  it('status sts/conduit against the sandbox through pods/proxy: counts, no warning', async () => {
    const result = await alone(['status', 'sts/conduit', '--kubeconfig', world.kubeconfigPath, '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as { instances: { name: string; connections: number }[] };
    expect(report.instances.map((i) => [i.name, i.connections])).toEqual([
      ['conduit-0', 0],
      ['conduit-1', 0],
      ['conduit-2', 2],
    ]);
  });

  it('scale --dry-run against the sandbox: the plan, no mutating request, no warning', async () => {
    world.sim.controls.clearRequestLog();
    const result = await alone(['scale', 'sts/conduit', '--replicas', '2', '--dry-run', '--kubeconfig', world.kubeconfigPath, '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expectNoWarning(result);
    const report = JSON.parse(result.stdout) as { outcome: string; plan: { victims: { name: string; connections: number }[] } };
    expect(report.outcome).toBe('planned');
    expect(report.plan.victims).toEqual([expect.objectContaining({ name: 'conduit-2', connections: 2 })]);
    expect(world.sim.requestLog().filter(isMutating)).toEqual([]);
  });

  it('sandbox up: a usage error naming what is missing, not a crash', async () => {
    const result = await alone(['sandbox', 'up', '--state-dir', join(folder, 'state')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the sandbox is not part of this installation');
  });

  it('no Kubernetes command of the installed CLI prints a warning on stderr with -o json', async () => {
    const kubeconfig = ['--kubeconfig', world.kubeconfigPath];
    const commands = [
      ['status', 'sts/conduit', ...kubeconfig, '-o', 'json'],
      ['status', '-l', 'app=conduit', ...kubeconfig, '-o', 'json'],
      ['status', 'conduit-0', 'conduit-1', ...kubeconfig, '-o', 'json'],
      ['scale', 'sts/conduit', '--replicas', '2', '--dry-run', ...kubeconfig, '-o', 'json'],
      ['scale', 'sts/conduit', '--replicas', '4', '--dry-run', ...kubeconfig, '-o', 'json'],
      ['status', 'sts/conduitt', ...kubeconfig, '-o', 'json'],
    ];
    for (const args of commands) {
      for (const run of [bundled, alone]) {
        const result = await run(args);
        expect(result.code === 0 || args.includes('sts/conduitt'), `${args.join(' ')}: ${result.stderr}`).toBe(true);
        expectNoWarning(result);
      }
    }
  });
});
