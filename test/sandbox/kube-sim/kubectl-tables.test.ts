// What the real kubectl v1.32 prints against kube-sim, compared with what it prints against a
// cluster for the same objects: the API server's Table columns (kubectl asks for
// `as=Table;g=meta.k8s.io`), `-o wide`'s priority-1 columns, and the cells' wording.
import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { createEventRecorder } from '../../../src/sandbox/kube-sim/event-recorder.js';
import type { KubeObject, KubeSim } from '../../../src/sandbox/kube-sim/index.js';
import { eventually, type Kubectl } from '../support/kubectl.js';
import { startSimForKubectl, type SimForKubectl } from './helpers.js';

let world: SimForKubectl;
let sim: KubeSim;
let dir: string;

beforeAll(async () => {
  world = await startSimForKubectl('kube-sim-tables-');
  ({ sim, dir } = world);
});
afterAll(async () => {
  await world?.close();
});
afterEach(() => {
  world.disposeKubectls();
  for (const kind of ['Pod', 'Service', 'StatefulSet', 'Endpoints', 'Lease', 'Event', 'Deployment', 'ReplicaSet', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'EndpointSlice']) {
    for (const obj of sim.store.list(kind, 'ns').items) sim.store.finalize(kind, 'ns', obj.metadata.name!);
  }
});

const freshKubectl = (): Kubectl => world.kubectl();

/** kubectl's table, cells split where kubectl pads (2+ spaces); `AGE` stands for any age. */
function rows(stdout: string): string[][] {
  return stdout.trimEnd().split('\n').map((line) => line.trim().split(/\s{2,}/));
}
const AGE = expect.stringMatching(/^\d+s$/);

function pod(name: string, status: KubeObject['status'], extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    metadata: { name, namespace: 'ns', labels: { app: 'gw' }, ...extra },
    spec: { nodeName: 'kube-sim-node', containers: [{ name: 'gateway', image: 'conduit/reference-gateway:0.1.0' }] },
    status,
  };
}

const running = (ip: string, restarts = 0, finishedAt?: string) => ({
  phase: 'Running',
  podIP: ip,
  podIPs: [{ ip }],
  conditions: [{ type: 'Ready', status: 'True' }],
  containerStatuses: [
    { name: 'gateway', ready: true, restartCount: restarts, state: { running: { startedAt: new Date().toISOString() } }, ...(finishedAt ? { lastState: { terminated: { exitCode: 137, reason: 'Error', finishedAt } } } : {}) },
  ],
});

describe('kubectl get prints the columns a cluster prints', () => {
  it('pods: NAME READY STATUS RESTARTS AGE, with the API server wording for each state', async () => {
    sim.store.create('Pod', pod('gw-0', running('127.42.1.10')));
    sim.store.create('Pod', pod('gw-1', running('127.42.1.11', 2, new Date(Date.now() - 5_000).toISOString())));
    sim.store.create('Pod', pod('gw-2', { phase: 'Pending', containerStatuses: [{ name: 'gateway', ready: false, restartCount: 0, state: { waiting: { reason: 'ErrImagePull' } } }] }));
    sim.store.create('Pod', pod('gw-3', { phase: 'Running', containerStatuses: [{ name: 'gateway', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }));
    sim.store.create('Pod', pod('gw-4', running('127.42.1.14')));
    sim.store.delete('Pod', 'ns', 'gw-4');
    const out = await freshKubectl().run('get', 'pods');
    expect(out.stderr).toBe('');
    expect(rows(out.stdout)).toEqual([
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
      ['gw-0', '1/1', 'Running', '0', AGE],
      ['gw-1', '1/1', 'Running', expect.stringMatching(/^2 \(\d+s ago\)$/), AGE],
      ['gw-2', '0/1', 'ErrImagePull', '0', AGE],
      ['gw-3', '0/1', 'CrashLoopBackOff', '4', AGE],
      ['gw-4', '1/1', 'Terminating', '0', AGE],
    ]);
    const table = sim.requestLog().find((e) => e.path === '/api/v1/namespaces/ns/pods' && e.method === 'GET');
    expect(table?.status).toBe(200);
  });

  it('pods -o wide adds IP, NODE, NOMINATED NODE and READINESS GATES', async () => {
    sim.store.create('Pod', pod('gw-0', running('127.42.1.10')));
    sim.store.create('Pod', { ...pod('gw-1', { phase: 'Pending' }), spec: { containers: [{ name: 'gateway', image: 'x' }] } });
    const out = await freshKubectl().run('get', 'pods', '-o', 'wide');
    expect(rows(out.stdout)).toEqual([
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
      ['gw-0', '1/1', 'Running', '0', AGE, '127.42.1.10', 'kube-sim-node', '<none>', '<none>'],
      ['gw-1', '0/1', 'Pending', '0', AGE, '<none>', '<none>', '<none>', '<none>'],
    ]);
  });

  it('services: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE; -o wide adds SELECTOR', async () => {
    sim.store.create('Service', {
      metadata: { name: 'conduit', namespace: 'ns' },
      spec: { clusterIP: '127.42.2.1', clusterIPs: ['127.42.2.1'], selector: { app: 'gw' }, ports: [{ name: 'ws', port: 9088, protocol: 'TCP' }, { name: 'admin', port: 9090, protocol: 'TCP' }] },
    });
    sim.store.create('Service', { metadata: { name: 'edge', namespace: 'ns' }, spec: { type: 'LoadBalancer', clusterIP: '127.42.2.2', ports: [{ port: 443, nodePort: 30443, protocol: 'TCP' }] } });
    const out = await freshKubectl().run('get', 'svc', '-o', 'wide');
    expect(rows(out.stdout)).toEqual([
      ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'],
      ['conduit', 'ClusterIP', '127.42.2.1', '<none>', '9088/TCP,9090/TCP', AGE, 'app=gw'],
      ['edge', 'LoadBalancer', '127.42.2.2', '<pending>', '443:30443/TCP', AGE, '<none>'],
    ]);
  });

  it('statefulsets, deployments and replicasets: READY as ready/desired, wide CONTAINERS and IMAGES', async () => {
    const template = { metadata: { labels: { app: 'gw' } }, spec: { containers: [{ name: 'gateway', image: 'conduit/reference-gateway:0.1.0' }] } };
    const selector = { matchLabels: { app: 'gw' } };
    sim.store.create('StatefulSet', { metadata: { name: 'conduit', namespace: 'ns' }, spec: { replicas: 3, selector, template }, status: { readyReplicas: 2 } });
    sim.store.create('Deployment', { metadata: { name: 'web', namespace: 'ns' }, spec: { replicas: 2, selector, template }, status: { readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 } });
    sim.store.create('ReplicaSet', { metadata: { name: 'web-5d9c7b4f7', namespace: 'ns' }, spec: { replicas: 2, selector, template }, status: { replicas: 2, readyReplicas: 1 } });
    const kc = freshKubectl();
    expect(rows((await kc.run('get', 'sts')).stdout)).toEqual([['NAME', 'READY', 'AGE'], ['conduit', '2/3', AGE]]);
    expect(rows((await kc.run('get', 'sts', '-o', 'wide')).stdout)).toEqual([
      ['NAME', 'READY', 'AGE', 'CONTAINERS', 'IMAGES'],
      ['conduit', '2/3', AGE, 'gateway', 'conduit/reference-gateway:0.1.0'],
    ]);
    expect(rows((await kc.run('get', 'deploy')).stdout)).toEqual([['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['web', '1/2', '2', '1', AGE]]);
    expect(rows((await kc.run('get', 'rs', '-o', 'wide')).stdout)).toEqual([
      ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
      ['web-5d9c7b4f7', '2', '2', '1', AGE, 'gateway', 'conduit/reference-gateway:0.1.0', 'app=gw'],
    ]);
  });

  it('endpoints list three address:port pairs then "+ N more...", leases their holder, namespaces their phase', async () => {
    const addresses = ['127.42.1.1', '127.42.1.2', '127.42.1.3', '127.42.1.4'].map((ip) => ({ ip }));
    sim.store.create('Endpoints', { metadata: { name: 'conduit', namespace: 'ns' }, subsets: [{ addresses, ports: [{ name: 'ws', port: 9088, protocol: 'TCP' }] }] });
    sim.store.create('Endpoints', { metadata: { name: 'empty', namespace: 'ns' } });
    sim.store.create('Lease', { metadata: { name: 'leader', namespace: 'ns' }, spec: { holderIdentity: 'conduit-0' } });
    const kc = freshKubectl();
    expect(rows((await kc.run('get', 'ep')).stdout)).toEqual([
      ['NAME', 'ENDPOINTS', 'AGE'],
      ['conduit', '127.42.1.1:9088,127.42.1.2:9088,127.42.1.3:9088 + 1 more...', AGE],
      ['empty', '<none>', AGE],
    ]);
    expect(rows((await kc.run('get', 'leases')).stdout)).toEqual([['NAME', 'HOLDER', 'AGE'], ['leader', 'conduit-0', AGE]]);
    expect(rows((await kc.run('get', 'ns')).stdout)).toEqual([['NAME', 'STATUS', 'AGE'], ['default', 'Active', AGE], ['ns', 'Active', AGE]]);
  });

  it('events: LAST SEEN TYPE REASON OBJECT MESSAGE; -o wide adds SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME; repeats are counted', async () => {
    const target = sim.store.create('Pod', pod('gw-0', running('127.42.1.10')));
    const kubelet = createEventRecorder(sim.store, { component: 'kubelet', host: 'kube-sim-node' });
    kubelet.normal(target, 'Started', 'Started container gateway', { fieldPath: 'spec.containers{gateway}' });
    kubelet.warning(target, 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', { fieldPath: 'spec.containers{gateway}' });
    kubelet.warning(target, 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', { fieldPath: 'spec.containers{gateway}' });
    const kc = freshKubectl();
    const out = rows((await kc.run('get', 'events')).stdout);
    expect(out[0]).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(out.slice(1)).toEqual(
      expect.arrayContaining([
        [AGE, 'Normal', 'Started', 'pod/gw-0', 'Started container gateway'],
        [AGE, 'Warning', 'Unhealthy', 'pod/gw-0', 'Readiness probe failed: HTTP probe failed with statuscode: 503'],
      ]),
    );
    const wide = rows((await kc.run('get', 'events', '-o', 'wide', '--field-selector', 'reason=Unhealthy')).stdout);
    expect(wide).toEqual([
      ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME'],
      [AGE, 'Warning', 'Unhealthy', 'pod/gw-0', 'spec.containers{gateway}', 'kubelet, kube-sim-node', 'Readiness probe failed: HTTP probe failed with statuscode: 503', AGE, '2', expect.stringMatching(/^gw-0\.[0-9a-f]+$/)],
    ]);
    const described = await kc.run('describe', 'pod', 'gw-0');
    expect(described.stdout).toMatch(/Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n/);
    expect(described.stdout).toMatch(/Warning\s+Unhealthy\s+\S+ \(x2 over \S+\)\s+kubelet\s+Readiness probe failed/);
  });

  it('poddisruptionbudgets, horizontalpodautoscalers and endpointslices', async () => {
    sim.store.create('PodDisruptionBudget', { metadata: { name: 'conduit', namespace: 'ns' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'gw' } } } });
    sim.store.create('HorizontalPodAutoscaler', {
      metadata: { name: 'conduit', namespace: 'ns' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'conduit' }, minReplicas: 3, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] },
      status: { currentReplicas: 3 },
    });
    sim.store.create('EndpointSlice', {
      metadata: { name: 'conduit-abcde', namespace: 'ns' },
      addressType: 'IPv4',
      ports: [{ name: 'ws', port: 9088, protocol: 'TCP' }],
      endpoints: [{ addresses: ['127.42.1.1'] }, { addresses: ['127.42.1.2'] }],
    });
    const kc = freshKubectl();
    expect(rows((await kc.run('get', 'pdb')).stdout)).toEqual([
      ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'],
      ['conduit', '2', 'N/A', '0', AGE],
    ]);
    expect(rows((await kc.run('get', 'hpa')).stdout)).toEqual([
      ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'],
      ['conduit', 'StatefulSet/conduit', 'cpu: <unknown>/80%', '3', '10', '3', AGE],
    ]);
    expect(rows((await kc.run('get', 'endpointslices')).stdout)).toEqual([
      ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
      ['conduit-abcde', 'IPv4', '9088', '127.42.1.1,127.42.1.2', AGE],
    ]);
  });

  it('-o name and --show-labels read the row metadata kubectl asked for (includeObject=Metadata)', async () => {
    sim.store.create('Pod', pod('gw-0', running('127.42.1.10')));
    const kc = freshKubectl();
    expect((await kc.run('get', 'pods', '-o', 'name')).stdout.trim()).toBe('pod/gw-0');
    expect(rows((await kc.run('get', 'pods', '--show-labels')).stdout)[1]).toEqual(['gw-0', '1/1', 'Running', '0', AGE, 'app=gw']);
  });

  it('get pods -w prints one row per change in the same columns (a Table per watch event)', async () => {
    sim.store.create('Pod', pod('gw-0', running('127.42.1.10')));
    const cache = mkdtempSync(join(dir, 'watch-cache-'));
    const child = spawn('/usr/bin/kubectl', ['--kubeconfig', world.kubeconfigPath, 'get', 'pods', '-w'], { env: { PATH: process.env.PATH, HOME: cache, KUBECACHEDIR: cache } });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    try {
      await eventually(() => (out.includes('gw-0') ? true : undefined), 'the first rows', 20_000);
      sim.store.delete('Pod', 'ns', 'gw-0');
      await eventually(() => (out.includes('Terminating') ? true : undefined), 'the watch row for the deletion', 20_000);
    } finally {
      child.kill('SIGTERM');
    }
    expect(rows(out)).toEqual([
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
      ['gw-0', '1/1', 'Running', '0', AGE],
      ['gw-0', '1/1', 'Terminating', '0', AGE],
    ]);
  });
});
