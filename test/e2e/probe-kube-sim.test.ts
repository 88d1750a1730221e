// `conduitctl probe` (the built CLI) through a sandbox world's Service during a real StatefulSet
// rollout: kube-sim, its controllers, one gateway process per pod, the default manifest (whose
// grace period docs/prestop.md explains). The rollout is the CLI's own --restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMutating } from '../../src/sandbox/kube-sim/index.js';
import { startSandboxWorld, type SandboxWorld } from '../../src/sandbox/world.js';
import { runCli, startCli } from '../support/run-cli.js';

// This file's loopback range: 127.40.10.0/24 pods, 127.40.11.0/24 services, 127.40.12.0/24 clients.
const SOURCE_IPS = '127.40.12.1-127.40.12.30';

interface Report {
  kind: string;
  verdict: string;
  reasons: string[];
  outcome: string;
  connections: { requested: number; connected: number; openAtEnd: number; neverOpened: number };
  closes: { total: number; clean: number; silent: number; byCode: Record<string, number>; silentByCause: Record<string, number> };
  silentByInstance: Record<string, number>;
  gaps: number;
  reconnectMs: { count: number; p50: number | null; p99: number | null; max: number | null };
  instances: { before: Record<string, number>; after: Record<string, number> };
  rollout: { complete: boolean; restarted: boolean; fromRevision: string; toRevision: string; newRevisionPods: string[]; connectionsElsewhere: number };
}

describe('probe --rollout sts/conduit --restart against kube-sim with real gateways', () => {
  let world: SandboxWorld;

  beforeAll(async () => {
    world = await startSandboxWorld({ podCidr: '127.40.10.0/24', serviceCidr: '127.40.11.0/24', baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    await world.waitUntilReady(45_000);
  }, 60_000);

  afterAll(async () => {
    await world?.close();
  });

  const serviceUrl = () => {
    const service = world.service()!;
    return `ws://${service.clusterIP}:${service.ports[0]!.port}/v1/subscribe`;
  };
  const probe = (extra: string[] = []) =>
    startCli(
      ['probe', serviceUrl(), '--connections', '300', '--connect-rate', '500/s', '--source-ips', SOURCE_IPS, '--rollout', 'sts/conduit', '--restart', '--timeout', '90s', '--ping-interval', '2s', '--kubeconfig', world.kubeconfigPath, '-o', 'json', ...extra],
      { timeoutMs: 150_000 },
    );
  const podRevision = (name: string) => world.store.get('Pod', world.namespace, name)?.metadata.labels?.['controller-revision-hash'];
  /** The gateway's own count (its admin port on the pod IP), 0 when it cannot answer. */
  const activeConnections = async (name: string): Promise<number> => {
    const ip = (world.store.get('Pod', world.namespace, name)?.status as { podIP?: string } | undefined)?.podIP;
    if (!ip) return 0;
    try {
      const answer = await fetch(`http://${ip}:9087/v1/metrics`, { signal: AbortSignal.timeout(2_000) });
      return ((await answer.json()) as { ws?: { connections?: { active?: number } } }).ws?.connections?.active ?? 0;
    } catch {
      return 0;
    }
  };

  it('PASS: 0 silent, every connection back on a pod of the new revision', async () => {
    const before = world.store.get('StatefulSet', world.namespace, 'conduit')!;
    const run = probe();
    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report).toMatchObject({ kind: 'ProbeReport', verdict: 'PASS', outcome: 'completed', reasons: [] });
    expect(report.connections).toMatchObject({ requested: 300, connected: 300, openAtEnd: 300, neverOpened: 0 });
    expect(report.closes.silent).toBe(0);
    expect(report.closes.clean).toBeGreaterThanOrEqual(300);
    expect(report.silentByInstance).toEqual({});
    expect(report.gaps).toBe(0);
    expect(report.reconnectMs.count).toBe(report.closes.total);
    expect(Object.values(report.instances.before).reduce((a, b) => a + b, 0)).toBe(300);
    expect(Object.keys(report.instances.before).length).toBeGreaterThan(1);

    // The world agrees: the template carries kubectl's annotation, every pod runs the new revision,
    // and every connection at the end was on one of those pods.
    const after = world.store.get('StatefulSet', world.namespace, 'conduit')!;
    const annotations = (after.spec!.template as { metadata?: { annotations?: Record<string, string> } }).metadata?.annotations ?? {};
    expect(annotations['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(after.status!.updateRevision).not.toBe(before.status!.updateRevision);
    expect(report.rollout).toMatchObject({ complete: true, restarted: true, toRevision: after.status!.updateRevision, connectionsElsewhere: 0 });
    expect(report.rollout.newRevisionPods.sort()).toEqual(['conduit-0', 'conduit-1', 'conduit-2']);
    for (const pod of report.rollout.newRevisionPods) expect(podRevision(pod)).toBe(after.status!.updateRevision);
    expect(Object.values(report.instances.after).reduce((a, b) => a + b, 0)).toBe(300);
  }, 160_000);

  it('one pod SIGKILLed mid-rollout: its connections are silent drops attributed to it, exit 1', async () => {
    await world.waitUntilReady(45_000);
    const oldRevision = world.store.get('StatefulSet', world.namespace, 'conduit')!.status!.updateRevision as string;
    const run = probe();
    // OrderedReady rolls from the highest ordinal: once conduit-2 runs the new revision, conduit-0
    // and conduit-1 still run the old one. Kill the process of whichever holds the most connections.
    let victim = '';
    const target = await new Promise<number>((resolve, reject) => {
      const started = Date.now();
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        const updateRevision = world.store.get('StatefulSet', world.namespace, 'conduit')?.status?.updateRevision;
        if (updateRevision === oldRevision || podRevision('conduit-2') !== updateRevision) {
          if (Date.now() - started > 90_000 || run.child.exitCode !== null) {
            clearInterval(timer);
            reject(new Error(`the rollout never reached conduit-2: ${run.stderr()}`));
          }
          return;
        }
        busy = true;
        void Promise.all(['conduit-0', 'conduit-1'].map(async (name) => ({ name, active: podRevision(name) === oldRevision ? await activeConnections(name) : 0 }))).then((counts) => {
          const busiest = counts.sort((a, b) => b.active - a.active)[0]!;
          const uid = world.store.get('Pod', world.namespace, busiest.name)?.metadata.uid;
          const pid = world.kubelet.pods().find((p) => p.name === busiest.name && p.uid === uid)?.pid;
          busy = false;
          if (busiest.active > 0 && pid) {
            clearInterval(timer);
            victim = busiest.name;
            resolve(pid);
          }
        });
      }, 50);
    });
    process.kill(target, 'SIGKILL');
    const result = await run.result;
    expect(result.code, `${result.stderr}\n${result.stdout.slice(0, 3000)}`).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.verdict).toBe('FAIL');
    expect(report.silentByInstance[victim]).toBeGreaterThan(0);
    expect(Object.keys(report.silentByInstance)).toEqual([victim]);
    expect(report.closes.silent).toBe(report.silentByInstance[victim]);
    expect(report.closes.byCode['1006']).toBe(report.silentByInstance[victim]);
    expect(report.silentByInstance[victim]).toBeLessThanOrEqual(300);
    expect(report.reasons[0]).toContain(`silent drop`);
    expect(report.reasons[0]).toContain(victim);
    expect(result.stderr).toContain('FAIL');
  }, 160_000);

  it('kubectl rollout restart + rollout status under the probe: every close announced, the rollout well inside 60 s (the manifest’s grace budget)', async () => {
    await world.waitUntilReady(45_000);
    const cache = mkdtempSync(join(tmpdir(), 'kubecache-probe-'));
    const kubectl = `kubectl --kubeconfig '${world.kubeconfigPath}' -n ${world.namespace} --request-timeout=20s`;
    try {
      const result = await runCli(
        ['probe', serviceUrl(), '--connections', '150', '--source-ips', SOURCE_IPS, '--settle', '8s', '--ping-interval', '2s', '-o', 'json', '--', '/bin/sh', '-c', `${kubectl} rollout restart sts/conduit && ${kubectl} rollout status sts/conduit --timeout=60s`],
        { timeoutMs: 150_000, env: { HOME: cache, KUBECACHEDIR: cache } },
      );
      expect(result.code, `${result.stderr}\n${result.stdout.slice(0, 3000)}`).toBe(0);
      const report = JSON.parse(result.stdout) as Report & { command: { exitCode: number }; closes: { notices: Record<string, number> } };
      // rollout status --timeout=60s exiting 0 is kubectl's own word that the rollout took under a minute.
      expect(report.command.exitCode).toBe(0);
      expect(report.closes.silent).toBe(0);
      expect(report.closes.total).toBeGreaterThanOrEqual(150);
      // The manifest's preStop moves clients (migrating → 1012); any left at its end get shutting_down → 1001.
      expect((report.closes.notices.shutting_down ?? 0) + (report.closes.notices.migrating ?? 0)).toBeGreaterThanOrEqual(report.closes.total);
      expect(result.stderr).toContain('roll out complete: 3 new pods have been updated');
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }, 160_000);

  it('a missing StatefulSet exits 2 and a denied patch exits 3, before any connection and with nothing changed', async () => {
    await world.waitUntilReady(45_000);
    const args = (name: string) => ['probe', serviceUrl(), '--connections', '5', '--rollout', `sts/${name}`, '--restart', '--kubeconfig', world.kubeconfigPath];
    world.sim.controls.clearRequestLog();
    const missing = await runCli(args('conduitt'), { timeoutMs: 30_000 });
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stderr).toContain('statefulset "conduitt" not found');

    world.sim.controls.deny({ verbs: ['patch'], resources: ['statefulsets'] });
    try {
      const denied = await runCli(args('conduit'), { timeoutMs: 30_000 });
      expect(denied.code, denied.stderr).toBe(3);
      expect(denied.stderr).toContain('not allowed to patch statefulsets.apps "conduit"');
      expect(denied.stderr).toContain('nothing was opened or changed');
    } finally {
      world.sim.controls.clearDenyRules();
    }
    expect(world.sim.requestLog().filter(isMutating)).toEqual([]);
  }, 60_000);

  it('a rollout that does not complete by --timeout exits 4, the report still printed', async () => {
    await world.waitUntilReady(45_000);
    const result = await runCli(
      ['probe', serviceUrl(), '--connections', '30', '--rollout', 'sts/conduit', '--restart', '--timeout', '2s', '--kubeconfig', world.kubeconfigPath, '-o', 'json'],
      { timeoutMs: 60_000 },
    );
    expect(result.code, result.stderr).toBe(4);
    const report = JSON.parse(result.stdout) as Report & { rollout: { complete: boolean; state: string } };
    expect(report.outcome).toBe('rollout-timeout');
    expect(report.rollout.complete).toBe(false);
    expect(result.stderr).toContain('did not complete in time');
  }, 60_000);
});
