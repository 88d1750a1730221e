// The sandbox at scale (200 pods in one process) and as a person starts it: the BUILT CLI's
// `sandbox up | status | down` with a daemon, pod processes and a kubeconfig.
import { mkdtempSync, rmSync, statSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandboxWorld, type SandboxWorld } from '../../src/sandbox/world.js';
import { runCli } from '../support/run-cli.js';
import { eventually, kubectl, processAlive } from './support/kubectl.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('a 200-pod in-process fleet', () => {
  it('starts every pod Ready, each gateway on its own address', async () => {
    let world: SandboxWorld | undefined;
    cleanups.push(() => world?.close());
    const started = Date.now();
    world = await startSandboxWorld({
      mode: 'in-process',
      podCidr: '127.47.120.0/24',
      serviceCidr: '127.47.121.0/24',
      manifests: { replicas: 200, podManagementPolicy: 'Parallel', preStopCommand: null, gatewayArgs: ['--tick-ms', '0'] },
    });
    await world.waitUntilReady(60_000);
    console.log(`200-pod in-process fleet Ready in ${Date.now() - started} ms`);
    const pods = world.store.list('Pod', 'conduit').items;
    expect(pods).toHaveLength(200);
    expect(new Set(pods.map((p) => p.status?.podIP)).size).toBe(200);
    expect(world.kubelet.pods().every((p) => p.pid === undefined)).toBe(true);
    expect(world.store.get('StatefulSet', 'conduit', 'conduit')!.status).toMatchObject({ readyReplicas: 200, updatedReplicas: 200 });
    await world.close();
    world = undefined;
  }, 90_000);
});

describe('conduitctl sandbox (built CLI)', () => {
  it('up starts the daemon and 3 pod processes, writes a 0600 kubeconfig; status reports it; down stops and removes everything', async () => {
    const stateDir = join(mkdtempSync(join(tmpdir(), 'sandbox-cli-')), 'state');
    const env = { CONDUIT_SANDBOX_DIR: undefined, HOME: tmpdir() };
    const args = ['--state-dir', stateDir];
    cleanups.push(async () => {
      await runCli(['sandbox', 'down', ...args], { env, timeoutMs: 30_000 });
      rmSync(join(stateDir, '..'), { recursive: true, force: true });
    });
    const up = await runCli(['sandbox', 'up', ...args, '--pod-cidr', '127.0.130.0/24', '--service-cidr', '127.0.131.0/24'], { env, timeoutMs: 40_000 });
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    const kubeconfigPath = join(stateDir, 'kubeconfig');
    expect(up.stdout).toContain(`export KUBECONFIG=${kubeconfigPath}`);
    expect(up.stdout).toContain('conduitctl status sts/conduit -n conduit');
    expect(up.stdout).toContain('kubectl get pods -n conduit');
    expect(statSync(kubeconfigPath).mode & 0o777).toBe(0o600);

    const state = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as { pid: number; pods: { name: string; pid: number; ready: boolean }[] };
    const pids = [state.pid, ...state.pods.map((p) => p.pid)];
    expect(state.pods.map((p) => [p.name, p.ready])).toEqual([['conduit-0', true], ['conduit-1', true], ['conduit-2', true]]);
    expect(pids.every(processAlive)).toBe(true);

    const again = await runCli(['sandbox', 'up', ...args], { env, timeoutMs: 20_000 });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already runs');

    const k = kubectl(kubeconfigPath);
    cleanups.push(() => k.dispose());
    const pods = await k.json<{ items: { metadata: { name: string } }[] }>('get', 'pods', '-n', 'conduit');
    expect(pods.items.map((p) => p.metadata.name)).toEqual(['conduit-0', 'conduit-1', 'conduit-2']);

    const status = await runCli(['sandbox', 'status', ...args, '-o', 'json'], { env, timeoutMs: 20_000 });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: true, status: 'ready', namespace: 'conduit', pods: [{ name: 'conduit-0' }, { name: 'conduit-1' }, { name: 'conduit-2' }] });

    const down = await runCli(['sandbox', 'down', ...args], { env, timeoutMs: 30_000 });
    expect(down.code).toBe(0);
    expect(down.stderr).toContain('Stopped the sandbox');
    await eventually(() => (pids.some(processAlive) ? undefined : true), 'every sandbox process to exit', 10_000);
    expect(existsSync(stateDir)).toBe(false);

    const downAgain = await runCli(['sandbox', 'down', ...args], { env, timeoutMs: 20_000 });
    expect(downAgain.code).toBe(0);
    const stopped = await runCli(['sandbox', 'status', ...args], { env, timeoutMs: 20_000 });
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('not running');
  }, 120_000);
});
