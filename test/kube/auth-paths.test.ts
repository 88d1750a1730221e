// The credentials the REST client takes from the kubeconfig (src/kube/rest.ts) beyond a static
// token: an exec credential plugin (cached while valid, run again once expired, a wrong token is
// refused) and a proxy-url whose proxy is down (unreachable, not an untyped crash).
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefusedError } from '../../src/ops/errors.js';
import { connectKube, KubeUnavailableError } from '../../src/kube/index.js';
import { seedNamespace, startKubeSim, type KubeSim } from '../../src/sandbox/kube-sim/index.js';
import { createStatefulSetWithPods } from './support.js';

let sim: KubeSim;
let dir: string;
const NAMESPACE = 'auth-paths';

beforeAll(async () => {
  sim = await startKubeSim({ host: '127.46.50.1' });
  dir = await mkdtemp(join(tmpdir(), 'kube-auth-paths-'));
  seedNamespace(sim.store, NAMESPACE);
  createStatefulSetWithPods(sim, NAMESPACE, 'conduit', 2);
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** A kubeconfig for kube-sim whose user is `user` and whose cluster has `extra` fields. */
async function kubeconfigWith(name: string, user: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  const path = join(dir, name);
  await writeFile(
    path,
    YAML.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'sim', cluster: { server: sim.url, 'certificate-authority-data': Buffer.from(sim.caPem).toString('base64'), ...extra } }],
      users: [{ name: 'sim', user }],
      contexts: [{ name: 'sim', context: { cluster: 'sim', user: 'sim', namespace: NAMESPACE } }],
      'current-context': 'sim',
    }),
  );
  return path;
}

/** An exec credential plugin (a node script) that logs each run to `runs` and prints `token`. */
async function execPlugin(name: string, token: string, expiresInMs: number): Promise<{ user: Record<string, unknown>; runs: () => number }> {
  const script = join(dir, `${name}.mjs`);
  const runs = join(dir, `${name}.runs`);
  await writeFile(runs, '');
  await writeFile(
    script,
    `import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(runs)}, 'x');
const expirationTimestamp = new Date(Date.now() + ${expiresInMs}).toISOString();
console.log(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(token)}, expirationTimestamp } }));
`,
  );
  return {
    user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [script], interactiveMode: 'Never' } },
    runs: () => readFileSync(runs, 'utf8').length,
  };
}

const statefulSet = { kind: 'workload', workloadKind: 'statefulset', name: 'conduit' } as const;

describe('exec credential plugins and proxies through the REST client', () => {
  it('an exec plugin token is used, and cached while it is valid: one run for several requests', async () => {
    const plugin = await execPlugin('valid', sim.token, 3_600_000);
    const kube = await connectKube({ kubeconfig: await kubeconfigWith('valid', plugin.user), env: {}, requestTimeoutMs: 10_000 });
    try {
      for (let i = 0; i < 3; i++) expect((await kube.fleet.resolve(statefulSet)).map((pod) => pod.name)).toEqual(['conduit-0', 'conduit-1']);
      expect(plugin.runs()).toBe(1);
    } finally {
      await kube.close();
    }
  });

  it('an expired exec credential is asked for again before the next request', async () => {
    const plugin = await execPlugin('expired', sim.token, -1_000);
    const kube = await connectKube({ kubeconfig: await kubeconfigWith('expired', plugin.user), env: {}, requestTimeoutMs: 10_000 });
    try {
      await kube.fleet.resolve(statefulSet);
      const afterFirst = plugin.runs();
      await kube.fleet.resolve(statefulSet);
      expect(afterFirst).toBeGreaterThanOrEqual(2); // the StatefulSet, then its pods
      expect(plugin.runs()).toBeGreaterThan(afterFirst);
    } finally {
      await kube.close();
    }
  });

  it('a wrong token from the plugin is refused (401 → exit 3), never shown', async () => {
    const plugin = await execPlugin('wrong', 'not-the-token', 3_600_000);
    const kube = await connectKube({ kubeconfig: await kubeconfigWith('wrong', plugin.user), env: {}, requestTimeoutMs: 10_000 });
    try {
      const error = await kube.fleet.resolve(statefulSet).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RefusedError);
      expect(String((error as Error).message)).not.toContain('not-the-token');
    } finally {
      await kube.close();
    }
  });

  it('a proxy-url whose SOCKS proxy is down: the API server is unreachable (retryable), not an untyped error', async () => {
    const kubeconfig = await kubeconfigWith('socks', { token: sim.token }, { 'proxy-url': 'socks5://127.46.50.2:1' });
    const kube = await connectKube({ kubeconfig, env: {}, requestTimeoutMs: 5_000 });
    try {
      const error = await kube.fleet.resolve(statefulSet).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KubeUnavailableError);
      expect((error as Error).message).toContain('unreachable');
    } finally {
      await kube.close();
    }
  });
});
