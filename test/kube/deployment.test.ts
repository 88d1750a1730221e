// kube-sim serves no Deployments or ReplicaSets, so deploy/NAME is checked against a small
// recording plain-HTTP fake of the three reads it makes.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/ops/errors.js';
import { connectKube } from '../../src/kube/index.js';
import { startLoopbackServer, type LoopbackServer } from '../support/loopback-server.js';

const NS = 'web';
const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: NS, uid: 'dep-uid' }, spec: { selector: { matchLabels: { app: 'api' } } } };
const rs = (name: string, ownerUid: string) => ({
  metadata: { name, namespace: NS, uid: `${name}-uid`, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: ownerUid, controller: true }] },
});
const pod = (name: string, ownerKind: string, ownerUid: string) => ({
  metadata: { name, namespace: NS, uid: `${name}-uid`, labels: { app: 'api' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: ownerKind, name: 'x', uid: ownerUid, controller: true }] },
  status: { phase: 'Running', podIP: '127.0.40.1', conditions: [{ type: 'Ready', status: 'True' }] },
});

let server: LoopbackServer;
let dir: string;
let kubeconfig: string;
const seen: string[] = [];

beforeAll(async () => {
  server = await startLoopbackServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://fake');
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === `/apis/apps/v1/namespaces/${NS}/deployments/api`) return json(200, deployment);
    if (url.pathname.startsWith(`/apis/apps/v1/namespaces/${NS}/deployments/`)) {
      return json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'deployments.apps "x" not found' });
    }
    if (url.pathname === `/apis/apps/v1/namespaces/${NS}/replicasets` && url.searchParams.get('labelSelector') === 'app=api') {
      return json(200, { kind: 'ReplicaSetList', apiVersion: 'apps/v1', metadata: {}, items: [rs('api-new', 'dep-uid'), rs('api-old', 'dep-uid'), rs('impostor', 'other-uid')] });
    }
    if (url.pathname === `/api/v1/namespaces/${NS}/pods` && url.searchParams.get('labelSelector') === 'app=api') {
      return json(200, {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: {},
        items: [pod('api-new-b', 'ReplicaSet', 'api-new-uid'), pod('api-old-a', 'ReplicaSet', 'api-old-uid'), pod('stray', 'ReplicaSet', 'impostor-uid'), pod('job-pod', 'Job', 'dep-uid')],
      });
    }
    json(404, { kind: 'Status', code: 404, message: 'not found' });
  });
  dir = await mkdtemp(join(tmpdir(), 'kube-deploy-'));
  kubeconfig = join(dir, 'config');
  await writeFile(
    kubeconfig,
    YAML.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { server: server.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'fake', user: { token: 'fake-token' } }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake', namespace: NS } }],
      'current-context': 'fake',
    }),
  );
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('deploy/NAME', () => {
  it('resolves the pods of the Deployment’s own ReplicaSets only', async () => {
    const kube = await connectKube({ kubeconfig, env: {}, requestTimeoutMs: 5_000 });
    const pods = await kube.fleet.resolve({ kind: 'workload', workloadKind: 'deployment', name: 'api' });
    expect(pods.map((p) => p.name)).toEqual(['api-new-b', 'api-old-a']);
    expect(pods[0]).toMatchObject({ uid: 'api-new-b-uid', ready: true, address: '127.0.40.1' });
    expect(pods[0]!.ordinal).toBeUndefined();
    expect(seen).toEqual([
      `GET /apis/apps/v1/namespaces/${NS}/deployments/api`,
      `GET /apis/apps/v1/namespaces/${NS}/replicasets?labelSelector=app%3Dapi`,
      `GET /api/v1/namespaces/${NS}/pods?labelSelector=app%3Dapi`,
    ]);
  });

  it('a missing Deployment → UsageError naming it and the namespace', async () => {
    const kube = await connectKube({ kubeconfig, env: {}, requestTimeoutMs: 5_000 });
    await expect(kube.fleet.resolve({ kind: 'workload', workloadKind: 'deployment', name: 'nope' })).rejects.toThrow(
      new UsageError(`deployment "nope" not found in namespace "${NS}"`),
    );
  });
});
