import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/ops/errors.js';
import { existingKubeconfigFiles, loadKubeConfig } from '../../src/kube/kubeconfig.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubeconfig-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Ctx {
  name: string;
  server: string;
  namespace?: string;
}

async function writeConfig(file: string, contexts: Ctx[], current?: string): Promise<string> {
  const path = join(dir, file);
  await writeFile(
    path,
    YAML.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: contexts.map((c) => ({ name: c.name, cluster: { server: c.server } })),
      users: contexts.map((c) => ({ name: c.name, user: { token: `token-${c.name}` } })),
      contexts: contexts.map((c) => ({ name: c.name, context: { cluster: c.name, user: c.name, ...(c.namespace ? { namespace: c.namespace } : {}) } })),
      ...(current ? { 'current-context': current } : {}),
    }),
  );
  return path;
}

async function usageError(run: () => unknown): Promise<UsageError> {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('loadKubeConfig', () => {
  it('--kubeconfig: current context, its namespace, else default', async () => {
    const path = await writeConfig('a', [{ name: 'prod', server: 'https://prod.example:6443', namespace: 'gateways' }, { name: 'dev', server: 'https://dev.example:6443' }], 'prod');
    expect(loadKubeConfig({ kubeconfig: path, env: {} })).toMatchObject({ contextName: 'prod', clusterName: 'prod', server: 'https://prod.example:6443', namespace: 'gateways', inCluster: false });
    expect(loadKubeConfig({ kubeconfig: path, context: 'dev', env: {} }).namespace).toBe('default');
    expect(loadKubeConfig({ kubeconfig: path, namespace: 'other', env: {} }).namespace).toBe('other');
  });

  it('KUBECONFIG: missing files are ignored like kubectl; the first definition and current-context win', async () => {
    const first = await writeConfig('first', [{ name: 'shared', server: 'https://first.example' }], 'shared');
    const second = await writeConfig('second', [{ name: 'shared', server: 'https://second.example' }, { name: 'only-second', server: 'https://two.example' }], 'only-second');
    const list = [join(dir, 'missing-1'), first, join(dir, 'missing-2'), second].join(':');
    expect(existingKubeconfigFiles(list)).toEqual([first, second]);
    const loaded = loadKubeConfig({ env: { KUBECONFIG: list } });
    expect(loaded).toMatchObject({ contextName: 'shared', server: 'https://first.example' });
    expect(loadKubeConfig({ env: { KUBECONFIG: list }, context: 'only-second' }).server).toBe('https://two.example');
  });

  it('KUBECONFIG naming only missing files → UsageError', async () => {
    const error = await usageError(() => loadKubeConfig({ env: { KUBECONFIG: `${join(dir, 'x')}:${join(dir, 'y')}` } }));
    expect(error.message).toMatch(/none of the files in KUBECONFIG exist/);
  });

  it('a missing --kubeconfig file → UsageError naming it', async () => {
    const error = await usageError(() => loadKubeConfig({ kubeconfig: join(dir, 'nope'), env: {} }));
    expect(error.message).toContain(join(dir, 'nope'));
  });

  it('a bad --context → UsageError listing the contexts', async () => {
    const path = await writeConfig('a', [{ name: 'prod', server: 'https://p' }, { name: 'staging', server: 'https://s' }], 'prod');
    const error = await usageError(() => loadKubeConfig({ kubeconfig: path, context: 'prdo', env: {} }));
    expect(error.message).toContain('context "prdo" does not exist');
    expect(error.hint).toBe('available contexts: prod, staging');
  });

  it('no current context → UsageError asking for --context', async () => {
    const path = await writeConfig('a', [{ name: 'prod', server: 'https://p' }]);
    const error = await usageError(() => loadKubeConfig({ kubeconfig: path, env: {} }));
    expect(error.hint).toMatch(/--context, one of: prod/);
  });

  it('an invalid namespace → UsageError before any request', async () => {
    const path = await writeConfig('a', [{ name: 'prod', server: 'https://p' }], 'prod');
    await usageError(() => loadKubeConfig({ kubeconfig: path, namespace: 'Bad/NS', env: {} }));
  });

  it('~/.kube/config from HOME when nothing else is given', async () => {
    await mkdir(join(dir, '.kube'));
    await writeConfig('.kube/config', [{ name: 'home', server: 'https://home.example' }], 'home');
    expect(loadKubeConfig({ env: { HOME: dir } }).source).toBe(join(dir, '.kube', 'config'));
  });

  it('in-cluster: the service account token, CA and namespace when there is no kubeconfig', async () => {
    const sa = join(dir, 'sa');
    await mkdir(sa);
    await writeFile(join(sa, 'token'), 'sa-token');
    await writeFile(join(sa, 'ca.crt'), 'not a real ca');
    await writeFile(join(sa, 'namespace'), 'gateways\n');
    const env = { HOME: join(dir, 'nohome'), KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };
    const loaded = loadKubeConfig({ env, serviceAccountDir: sa });
    expect(loaded).toMatchObject({ inCluster: true, server: 'https://10.0.0.1:443', namespace: 'gateways', source: 'in-cluster service account' });
    // Without KUBERNETES_SERVICE_HOST it is not a pod: no kubeconfig at all.
    const error = await usageError(() => loadKubeConfig({ env: { HOME: join(dir, 'nohome') }, serviceAccountDir: sa }));
    expect(error.message).toBe('no kubeconfig found');
  });

  it('--insecure-skip-tls-verify marks the current cluster', async () => {
    const path = await writeConfig('a', [{ name: 'prod', server: 'https://p' }], 'prod');
    const loaded = loadKubeConfig({ kubeconfig: path, env: {}, insecureSkipTlsVerify: true });
    expect(loaded.kc.getCurrentCluster()?.skipTLSVerify).toBe(true);
    expect(loadKubeConfig({ kubeconfig: path, env: {} }).kc.getCurrentCluster()?.skipTLSVerify).toBe(false);
  });
});
