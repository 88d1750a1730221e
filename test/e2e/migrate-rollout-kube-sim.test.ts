// A rollout restart whose preStop is `drain --local --migrate --reconnect-url <Service>` (the
// sandbox manifest's default) against the same rollout with the old preStop (drain and wait):
// both judged by `conduitctl probe` through the Service, both timed, in the same run.
import { afterEach, describe, expect, it } from 'vitest';
import { startSandboxWorld, type SandboxWorld } from '../../src/sandbox/world.js';
import { runCli } from '../support/run-cli.js';

// This file's loopback range: 127.45.20-21.x (migrating world), 127.45.23-24.x (waiting world), 127.45.22.x clients.
const SOURCE_IPS = '127.45.22.1-127.45.22.30';

interface ProbeReport {
  verdict: string;
  closes: { total: number; clean: number; silent: number; byCode: Record<string, number> };
  connections: { requested: number; openAtEnd: number };
  rollout: { complete: boolean; restarted: boolean };
}

async function rolloutThroughService(world: SandboxWorld): Promise<{ report: ProbeReport; seconds: number }> {
  const service = world.service()!;
  const url = `ws://${service.clusterIP}:${service.ports[0]!.port}/v1/subscribe`;
  const started = Date.now();
  const result = await runCli(
    ['probe', url, '--connections', '300', '--connect-rate', '500/s', '--source-ips', SOURCE_IPS, '--rollout', 'sts/conduit', '--restart', '--timeout', '150s', '--ping-interval', '2s', '--kubeconfig', world.kubeconfigPath, '-o', 'json'],
    { timeoutMs: 200_000 },
  );
  const seconds = (Date.now() - started) / 1000;
  expect(result.code, result.stderr).toBe(0);
  return { report: JSON.parse(result.stdout) as ProbeReport, seconds };
}

describe('rollout restart with drain --local --migrate as the preStop', () => {
  let world: SandboxWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('0 silent, and faster than the preStop that waits for clients to leave (both times printed)', async () => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    world = await startSandboxWorld({ podCidr: '127.45.20.0/24', serviceCidr: '127.45.21.0/24', baseEnv: env });
    await world.waitUntilReady(45_000);
    const preStop = (world.store.get('StatefulSet', world.namespace, 'conduit')!.spec!.template as { spec: { containers: Array<{ lifecycle: { preStop: { exec: { command: string[] } } } }> } }).spec.containers[0]!.lifecycle.preStop.exec.command.join(' ');
    expect(preStop).toMatch(/drain --local .* --migrate --reconnect-url 'ws:\/\/127\.45\.21\.1:9088\/v1\/subscribe'/);
    const migrating = await rolloutThroughService(world);
    await world.close();

    world = await startSandboxWorld({ podCidr: '127.45.23.0/24', serviceCidr: '127.45.24.0/24', baseEnv: env, manifests: { migrateOnPreStop: false } });
    await world.waitUntilReady(45_000);
    const waiting = await rolloutThroughService(world);

    console.log(
      `rollout restart of 3 pods with 300 probe clients: preStop drain --local --migrate ${migrating.seconds.toFixed(1)} s ` +
        `(closes ${JSON.stringify(migrating.report.closes.byCode)}), preStop drain --local (wait) ${waiting.seconds.toFixed(1)} s ` +
        `(closes ${JSON.stringify(waiting.report.closes.byCode)}); ratio ${(waiting.seconds / migrating.seconds).toFixed(2)}×`,
    );
    expect(migrating.report).toMatchObject({ verdict: 'PASS', rollout: { complete: true, restarted: true } });
    expect(migrating.report.closes.silent).toBe(0);
    // The clients were moved (1012 after a migrating notice), not shut down at the end of the wait.
    expect(migrating.report.closes.byCode['1012'] ?? 0).toBeGreaterThan(0);
    expect(waiting.report.closes.silent).toBe(0);
    expect(migrating.seconds).toBeLessThan(waiting.seconds);
  }, 480_000);
});
