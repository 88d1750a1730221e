// verify-sticky against kube-sim's Service (the sandbox's "kube-proxy") in front of a 3-replica
// Conduit StatefulSet of real gateway processes: sessionAffinity ClientIP pins by source address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxWorld, type SandboxWorld } from '../../src/sandbox/world.js';
import { runCli } from '../support/run-cli.js';

interface Report {
  verdict: string;
  clients: { pinnedTo: string | null; answered: number }[];
  fleet: { instances: { name: string; clients: number }[] };
  affinity: { kind: string };
  firstMove: { request: number } | null;
}

async function verify(args: string[]): Promise<{ code: number | null; report: Report }> {
  const result = await runCli(['verify-sticky', ...args, '-o', 'json'], { timeoutMs: 60_000 });
  try {
    return { code: result.code, report: JSON.parse(result.stdout) as Report };
  } catch {
    throw new Error(`no JSON report (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

describe('verify-sticky through a kube-sim Service', () => {
  let world: SandboxWorld;
  let url: string;

  beforeAll(async () => {
    world = await startSandboxWorld({ podCidr: '127.0.112.0/24', serviceCidr: '127.0.113.0/24' });
    await world.waitUntilReady(45_000);
    const service = world.service()!;
    url = `http://${service.clusterIP}:${service.ports[0]!.port}`;
  }, 60_000);

  afterAll(async () => {
    await world?.close();
  });

  it('sessionAffinity ClientIP: every source address stays on one pod, and new addresses are spread over all three', async () => {
    const { code, report } = await verify([url, '--source-ips', '127.0.1-6.1', '--requests', '6']);
    expect(report.verdict).toBe('STICKY');
    expect(code).toBe(0);
    expect(report.clients.every((c) => c.pinnedTo !== null && c.answered === 6)).toBe(true);
    expect(report.affinity.kind).toBe('none');
    // kube-proxy hands each new client IP the next endpoint in turn: 6 addresses, 3 pods, 2 each.
    expect(report.fleet.instances.map((i) => i.clients)).toEqual([2, 2, 2]);
  });

  it('the same Service with sessionAffinity None moves the client at its second request: NOT STICKY', async () => {
    const service = world.store.get('Service', world.namespace, 'conduit')!;
    world.store.mutate('Service', world.namespace, service.metadata.name!, (obj) => {
      obj.spec = { ...(obj.spec ?? {}), sessionAffinity: 'None' };
    });
    try {
      await expect.poll(async () => (await verify([url, '--source-ips', '127.0.7.1', '--requests', '4'])).report.verdict, { timeout: 15_000 }).toBe('NOT STICKY');
    } finally {
      world.store.mutate('Service', world.namespace, service.metadata.name!, (obj) => {
        obj.spec = { ...(obj.spec ?? {}), sessionAffinity: 'ClientIP' };
      });
    }
  });
});
