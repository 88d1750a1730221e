// `kubectl create …` and `kubectl apply -f` as an operator types them, WITHOUT --validate=false:
// the protobuf bodies kubectl's typed clients send, the OpenAPI v3 documents kubectl fetches to
// learn that the server validates fields, strict field validation, client- and server-side apply.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../../../src/sandbox/kube-sim/index.js';
import type { Kubectl } from '../support/kubectl.js';
import { startSimForKubectl, type SimForKubectl } from './helpers.js';

let world: SimForKubectl;
let sim: KubeSim;
let dir: string;

beforeAll(async () => {
  world = await startSimForKubectl('kube-sim-apply-');
  ({ sim, dir } = world);
});
afterAll(async () => {
  await world?.close();
});
afterEach(() => {
  world.disposeKubectls();
  sim.controls.clearRequestLog();
});

const freshKubectl = (): Kubectl => world.kubectl();

const STATEFULSET = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: gw
spec:
  replicas: 2
  serviceName: gw
  selector:
    matchLabels: {app: gw}
  template:
    metadata:
      labels: {app: gw}
    spec:
      containers:
      - name: gateway
        image: conduit/reference-gateway:0.1.0
        ports: [{containerPort: 9088, name: ws}]
`;

function manifest(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('kubectl create with the typed clients (protobuf bodies)', () => {
  it('create namespace, deployment, service and poddisruptionbudget', async () => {
    const kc = freshKubectl();
    const ns = await kc.run('create', 'namespace', 'rtc');
    expect(ns.stderr).toBe('');
    expect(ns.stdout.trim()).toBe('namespace/rtc created');
    expect(sim.store.get('Namespace', undefined, 'rtc')?.status?.phase).toBe('Active');

    const deploy = await kc.run('create', 'deployment', 'web', '--image=conduit/reference-gateway:0.1.0', '--replicas=2', '--port=9088', '-n', 'rtc');
    expect(deploy.stdout.trim()).toBe('deployment.apps/web created');
    expect(sim.store.get('Deployment', 'rtc', 'web')?.spec).toMatchObject({
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'reference-gateway', image: 'conduit/reference-gateway:0.1.0', ports: [{ containerPort: 9088 }] }] } },
    });

    expect((await kc.run('create', 'service', 'clusterip', 'web', '--tcp=80:9088', '-n', 'rtc')).stdout.trim()).toBe('service/web created');
    expect(sim.store.get('Service', 'rtc', 'web')?.spec).toMatchObject({ type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: '80-9088', port: 80, targetPort: 9088, protocol: 'TCP' }] });

    expect((await kc.run('create', 'pdb', 'web', '--selector=app=web', '--min-available=50%', '-n', 'rtc')).stdout.trim()).toBe('poddisruptionbudget.policy/web created');
    expect(sim.store.get('PodDisruptionBudget', 'rtc', 'web')?.spec).toEqual({ minAvailable: '50%', selector: { matchLabels: { app: 'web' } } });

    const posts = sim.requestLog().filter((e) => e.method === 'POST');
    expect(posts.map((e) => e.contentType)).toEqual(Array(4).fill('application/vnd.kubernetes.protobuf'));
    expect(posts.every((e) => e.status === 201)).toBe(true);
  });
});

describe('kubectl apply -f with validation on (no --validate=false)', () => {
  it('creates, then configures, after reading the OpenAPI v3 documents; sends fieldValidation=Strict', async () => {
    const kc = freshKubectl();
    const path = manifest('sts.yaml', STATEFULSET);
    const created = await kc.run('apply', '-f', path);
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toBe('statefulset.apps/gw created');
    const sts = sim.store.get('StatefulSet', 'ns', 'gw')!;
    expect(sts.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain('"replicas":2');

    writeFileSync(path, STATEFULSET.replace('replicas: 2', 'replicas: 3'));
    const configured = await kc.run('apply', '-f', path);
    expect(configured.stdout.trim()).toBe('statefulset.apps/gw configured');
    expect(sim.store.get('StatefulSet', 'ns', 'gw')?.spec?.replicas).toBe(3);
    expect((await kc.run('apply', '-f', path)).stdout.trim()).toBe('statefulset.apps/gw unchanged');

    const log = sim.requestLog();
    expect(log.filter((e) => e.path.startsWith('/openapi/v3')).every((e) => e.status === 200)).toBe(true);
    expect(log.some((e) => e.path === '/openapi/v3/apis/apps/v1')).toBe(true);
    const writes = log.filter((e) => e.method === 'POST' || e.method === 'PATCH');
    expect(writes.map((e) => [e.method, new URLSearchParams(e.query).get('fieldValidation')])).toEqual([
      ['POST', 'Strict'],
      ['PATCH', 'Strict'],
    ]);
  });

  it('refuses a manifest with an unknown field as a cluster does, and creates nothing', async () => {
    const path = manifest('typo.yaml', STATEFULSET.replace('name: gw', 'name: typo').replace('replicas: 2', 'replica: 2'));
    const result = await freshKubectl().run('apply', '-f', path);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('StatefulSet in version "v1" cannot be handled as a StatefulSet: strict decoding error: unknown field "spec.replica"');
    expect(sim.store.get('StatefulSet', 'ns', 'typo')).toBeUndefined();
  });

  it('kubectl create -f validates the same way; --validate=warn creates and warns', async () => {
    const path = manifest('typo2.yaml', STATEFULSET.replace('name: gw', 'name: typo2').replace('      - name: gateway', '      - name: gateway\n        imagePolicy: Always'));
    const kc = freshKubectl();
    const strict = await kc.run('create', '-f', path);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('unknown field "spec.template.spec.containers[0].imagePolicy"');
    const warn = await kc.run('create', '-f', path, '--validate=warn');
    expect(warn.code).toBe(0);
    expect(warn.stderr).toContain('unknown field "spec.template.spec.containers[0].imagePolicy"');
    expect(sim.store.get('StatefulSet', 'ns', 'typo2')).toBeDefined();
  });

  it('apply --server-side creates and updates; kubectl diff --server-side shows no difference afterwards', async () => {
    const path = manifest('ssa.yaml', STATEFULSET.replace('name: gw', 'name: ssa'));
    const kc = freshKubectl();
    expect((await kc.run('apply', '--server-side', '-f', path)).stdout.trim()).toBe('statefulset.apps/ssa serverside-applied');
    writeFileSync(path, STATEFULSET.replace('name: gw', 'name: ssa').replace('replicas: 2', 'replicas: 1'));
    expect((await kc.run('apply', '--server-side', '-f', path)).stdout.trim()).toBe('statefulset.apps/ssa serverside-applied');
    expect(sim.store.get('StatefulSet', 'ns', 'ssa')?.spec?.replicas).toBe(1);
    const patch = sim.requestLog().find((e) => e.method === 'PATCH');
    expect(patch?.contentType).toBe('application/apply-patch+yaml');
    const diff = await kc.run('diff', '--server-side', '-f', path);
    expect(diff.code).toBe(0);
  });
});
