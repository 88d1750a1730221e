// Fidelity with the real kubectl v1.32 (preinstalled at /usr/bin/kubectl).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KubeSim } from '../../../src/sandbox/kube-sim/index.js';
import { echoServer, podManifest, portOf, startSimWithNamespace, statefulSetManifest, type Upstream } from './helpers.js';

let sim: KubeSim;
let dir: string;
let upstream: Upstream;

beforeAll(async () => {
  sim = await startSimWithNamespace();
  dir = await mkdtemp(join(tmpdir(), 'kube-sim-kubectl-'));
  await sim.writeKubeconfig(join(dir, 'kubeconfig'), { namespace: 'ns' });
  upstream = await echoServer('127.0.3.21');
});
afterAll(async () => {
  await upstream?.close();
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

let run = 0;
/** Runs kubectl with its own discovery cache dir; resolves with exit code and output. */
async function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cacheDir = join(dir, `cache-${run++}`);
  return new Promise((resolve) => {
    execFile(
      '/usr/bin/kubectl',
      ['--kubeconfig', join(dir, 'kubeconfig'), ...args],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, KUBECACHEDIR: cacheDir }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeEach(() => {
  for (const pod of sim.store.list('Pod', 'ns').items) sim.store.finalize('Pod', 'ns', pod.metadata.name!);
  for (const sts of sim.store.list('StatefulSet', 'ns').items) sim.store.finalize('StatefulSet', 'ns', sts.metadata.name!);
  sim.controls.clearDenyRules();
  sim.controls.clearRequestLog();
});

describe('real kubectl against kube-sim', () => {
  it('get pods -l app=x -o json lists only the matching pods, with no mutating request', async () => {
    sim.store.create('Pod', podManifest('x-0', { labels: { app: 'x' } }));
    sim.store.create('Pod', podManifest('y-0', { labels: { app: 'y' } }));
    const { code, stdout, stderr } = await kubectl('get', 'pods', '-l', 'app=x', '-o', 'json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const list = JSON.parse(stdout) as { items: { metadata: { name: string } }[] };
    expect(list.items.map((p) => p.metadata.name)).toEqual(['x-0']);
    expect(sim.controls.mutatingRequests()).toEqual([]);
    const authed = sim.requestLog().filter((e) => e.path.endsWith('/pods'));
    expect(authed.every((e) => e.status === 200)).toBe(true);
  });

  it('get sts and scale sts/x --replicas=2', async () => {
    sim.store.create('StatefulSet', statefulSetManifest('x', 3));
    const get = await kubectl('get', 'sts');
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(/^x\s/m);
    const scale = await kubectl('scale', 'sts/x', '--replicas=2');
    expect(scale.stderr).toBe('');
    expect(scale.stdout.trim()).toBe('statefulset.apps/x scaled');
    expect(sim.store.get('StatefulSet', 'ns', 'x')?.spec?.replicas).toBe(2);
    const patch = sim.requestLog().find((e) => e.method === 'PATCH');
    expect(patch).toMatchObject({ path: '/apis/apps/v1/namespaces/ns/statefulsets/x/scale', contentType: 'application/merge-patch+json' });
  });

  it('get --raw through pods/proxy reaches the pod IP', async () => {
    sim.store.create('Pod', podManifest('p-0', { ip: '127.0.3.21', port: portOf(upstream) }));
    const { code, stdout } = await kubectl('get', '--raw', `/api/v1/namespaces/ns/pods/p-0:${portOf(upstream)}/proxy/v1/metrics`);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ method: 'GET', url: '/v1/metrics', authorization: null });
  });

  it('patch --type merge, strategic and json', async () => {
    sim.store.create('Pod', podManifest('p-0'));
    expect((await kubectl('patch', 'pod', 'p-0', '--type', 'merge', '-p', '{"metadata":{"labels":{"m":"1"}}}')).code).toBe(0);
    expect((await kubectl('patch', 'pod', 'p-0', '--type', 'strategic', '-p', '{"spec":{"containers":[{"name":"gateway","image":"v2"}]}}')).code).toBe(0);
    expect((await kubectl('patch', 'pod', 'p-0', '--type', 'json', '-p', '[{"op":"add","path":"/metadata/labels/j","value":"1"}]')).code).toBe(0);
    const pod = sim.store.get('Pod', 'ns', 'p-0')!;
    expect(pod.metadata.labels).toEqual({ app: 'gw', m: '1', j: '1' });
    expect(pod.spec?.containers).toEqual([{ name: 'gateway', image: 'v2', ports: [{ containerPort: 8080, name: 'admin' }] }]);
    const types = sim.requestLog().filter((e) => e.method === 'PATCH').map((e) => e.contentType);
    expect(types).toEqual(['application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json']);
  });

  it('auth can-i patch statefulsets --subresource=scale says yes, then no under a deny rule', async () => {
    const yes = await kubectl('auth', 'can-i', 'patch', 'statefulsets', '--subresource=scale');
    expect(yes.stdout.trim()).toBe('yes');
    expect(yes.code).toBe(0);
    sim.controls.deny({ verbs: ['patch'], resources: ['statefulsets/scale'] });
    const no = await kubectl('auth', 'can-i', 'patch', 'statefulsets', '--subresource=scale');
    expect(no.stdout.trim()).toBe('no');
    expect(no.code).toBe(1);
    expect(sim.controls.mutatingRequests()).toEqual([]);
  });

  it('delete pod --wait=false leaves the pod terminating', async () => {
    sim.store.create('Pod', podManifest('p-0'));
    const { code, stdout } = await kubectl('delete', 'pod', 'p-0', '--wait=false');
    expect(code).toBe(0);
    expect(stdout.trim()).toBe('pod "p-0" deleted');
    expect(sim.store.get('Pod', 'ns', 'p-0')?.metadata.deletionTimestamp).toBeDefined();
  });

  it('reports NotFound and Forbidden like a cluster', async () => {
    const missing = await kubectl('get', 'pod', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error from server (NotFound): pods "nope" not found');
    sim.controls.deny({ verbs: ['list'], resources: ['pods'] });
    const forbidden = await kubectl('get', 'pods');
    expect(forbidden.stderr).toContain('Error from server (Forbidden)');
  });
});
