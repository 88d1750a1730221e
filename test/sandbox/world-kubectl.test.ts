// One sandbox world (one process per pod) driven by the real kubectl: what `kubectl` sees and does
// must match a cluster. The tests share the world and run in order.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxWorld, type SandboxWorld } from '../../src/sandbox/world.js';
import { eventually, kubectl, processAlive, type Kubectl } from './support/kubectl.js';
import { loopbackRanges } from '../support/loopback.js';

// The pod and Service ranges this file owns in the registry (test/support/loopback.ts).
const [POD_CIDR, SERVICE_CIDR] = loopbackRanges(import.meta.url);

const NS = 'conduit';
let world: SandboxWorld;
let k: Kubectl;
let scratch: string;
let marker: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'sandbox-kubectl-'));
  marker = join(scratch, 'prestop.log');
  world = await startSandboxWorld({
    podCidr: POD_CIDR!,
    serviceCidr: SERVICE_CIDR!,
    manifests: {
      preStopCommand: ['/bin/sh', '-c', `echo "$POD_NAME $POD_IP" >> '${marker}'`],
      terminationGracePeriodSeconds: 20,
      gatewayArgs: ['--tick-ms', '0', '--shutdown-deadline-ms', '2000'],
    },
    baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  await world.waitUntilReady(30_000);
  k = kubectl(world.kubeconfigPath);
}, 60_000);

afterAll(async () => {
  k?.dispose();
  await world?.close();
  rmSync(scratch, { recursive: true, force: true });
});

type Pod = { metadata: { name: string; uid: string }; status: { podIP?: string; phase?: string; conditions?: { type: string; status: string }[]; containerStatuses?: { ready: boolean; restartCount: number; state: Record<string, { reason?: string; message?: string }> }[] } };

const ready = (pod: Pod) => pod.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

function getThrough(host: string, port: number, localAddress: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/health', localAddress, agent: false }, (res) => {
      res.resume();
      resolve(String(res.headers['x-conduit-instance']));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('sandbox world with kubectl', () => {
  it('kubectl get pods -o json shows each pod Running, Ready, on its own loopback IP', async () => {
    const list = await k.json<{ items: Pod[] }>('get', 'pods', '-n', NS);
    expect(list.items.map((p) => p.metadata.name)).toEqual(['conduit-0', 'conduit-1', 'conduit-2']);
    for (const pod of list.items) {
      expect(pod.status.phase).toBe('Running');
      expect(ready(pod)).toBe(true);
      expect(pod.status.podIP).toMatch(/^127\.0\.110\.\d+$/);
      expect(pod.status.containerStatuses?.[0]).toMatchObject({ ready: true, restartCount: 0 });
    }
    expect(new Set(list.items.map((p) => p.status.podIP)).size).toBe(3);
  });

  it('kubectl get pods -o wide and get events / describe pod show what a cluster shows after a start', async () => {
    const wide = (await k.run('get', 'pods', '-n', NS, '-o', 'wide')).stdout.trim().split('\n').map((l) => l.split(/\s{2,}/));
    expect(wide[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    for (const row of wide.slice(1)) expect(row).toEqual([expect.stringMatching(/^conduit-\d$/), '1/1', 'Running', '0', expect.stringMatching(/^\d+s$/), expect.stringMatching(/^127\.0\.110\.\d+$/), 'kube-sim-node', '<none>', '<none>']);

    const events = await k.run('get', 'events', '-n', NS, '--field-selector', 'involvedObject.name=conduit-0');
    const reasons = events.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s{2,}/).slice(1, 4));
    expect(reasons).toEqual([
      ['Normal', 'Scheduled', 'pod/conduit-0'],
      ['Normal', 'Pulled', 'pod/conduit-0'],
      ['Normal', 'Created', 'pod/conduit-0'],
      ['Normal', 'Started', 'pod/conduit-0'],
    ]);
    const controller = await k.run('get', 'events', '-n', NS, '--field-selector', 'involvedObject.kind=StatefulSet');
    expect(controller.stdout).toContain('create Pod conduit-2 in StatefulSet conduit successful');

    const described = (await k.run('describe', 'pod', 'conduit-0', '-n', NS)).stdout;
    // The probe as the API server defaults it (successThreshold 1), as describe prints it.
    expect(described).toMatch(/Readiness:\s+http-get http:\/\/:admin\/health delay=0s timeout=1s period=1s #success=1 #failure=2/);
    const section = described.slice(described.indexOf('Events:'));
    expect(section).toMatch(/Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned conduit\/conduit-0 to kube-sim-node/);
    expect(section).toMatch(/Normal\s+Pulled\s+\S+\s+kubelet\s+Container image "conduit\/reference-gateway:[^"]+" already present on machine/);
    expect(section).toMatch(/Normal\s+Created\s+\S+\s+kubelet\s+Created container: gateway/);
    expect(section).toMatch(/Normal\s+Started\s+\S+\s+kubelet\s+Started container gateway/);
  });

  it('the Service proxy pins one client IP to one pod and spreads different client IPs', async () => {
    const svc = world.service()!;
    expect(svc.clusterIP).toMatch(/^127\.0\.111\./);
    const pinned = new Set<string>();
    for (let i = 0; i < 6; i += 1) pinned.add(await getThrough(svc.clusterIP, 9088, '127.47.131.1'));
    expect(pinned.size).toBe(1);
    const spread = new Set<string>();
    for (let c = 2; c <= 7; c += 1) spread.add(await getThrough(svc.clusterIP, 9088, `127.47.131.${c}`));
    expect(spread.size).toBeGreaterThan(1);

    const ws = new WebSocket(`ws://${svc.clusterIP}:9088/v1/subscribe`, { localAddress: '127.47.131.1', perMessageDeflate: false });
    const instance = await new Promise<string>((resolve, reject) => {
      ws.once('upgrade', (res) => resolve(String(res.headers['x-conduit-instance'])));
      ws.once('error', reject);
    });
    expect(instance).toBe([...pinned][0]);
    ws.terminate();
  });

  it('kubectl delete pod runs preStop, and the pod comes back with the same name and a new uid', async () => {
    const before = await k.json<Pod>('get', 'pod', 'conduit-1', '-n', NS);
    const deleted = await k.run('delete', 'pod', 'conduit-1', '-n', NS);
    expect(deleted.stderr).toBe('');
    expect(deleted.stdout).toContain('pod "conduit-1" deleted');
    expect(readFileSync(marker, 'utf8')).toContain(`conduit-1 ${before.status.podIP}`);
    const after = await eventually(async () => {
      const pod = world.store.get('Pod', NS, 'conduit-1') as Pod | undefined;
      return pod && pod.metadata.uid !== before.metadata.uid && ready(pod) ? pod : undefined;
    }, 'conduit-1 to come back Ready');
    expect(after.metadata.uid).not.toBe(before.metadata.uid);
  });

  it('kubectl rollout restart replaces the pods in reverse ordinal order; rollout status waits for it', async () => {
    const order: string[] = [];
    const off = world.store.subscribe((e) => {
      if (e.kind === 'Pod' && e.object.metadata.deletionTimestamp && !e.previous?.metadata.deletionTimestamp) order.push(e.object.metadata.name!);
    });
    try {
      const restart = await k.run('rollout', 'restart', 'sts/conduit', '-n', NS);
      expect(restart.stdout).toContain('statefulset.apps/conduit restarted');
      const status = await k.run('rollout', 'status', 'sts/conduit', '-n', NS, '--timeout=60s');
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/roll out complete|rolling update complete/);
      expect(order).toEqual(['conduit-2', 'conduit-1', 'conduit-0']);
    } finally {
      off();
    }
    const sts = await k.json<{ status: Record<string, unknown> }>('get', 'sts/conduit', '-n', NS);
    expect(sts.status).toMatchObject({ replicas: 3, readyReplicas: 3, updatedReplicas: 3, currentReplicas: 3 });
    expect(sts.status.currentRevision).toBe(sts.status.updateRevision);
  });

  it('kubectl rollout history lists a ControllerRevision per template; rollout undo restores the previous one and rolls it out', async () => {
    const history = await k.run('rollout', 'history', 'sts/conduit', '-n', NS);
    expect(history.stdout).toMatch(/^statefulset\.apps\/conduit \nREVISION {2}CHANGE-CAUSE\n1 +<none>\n2 +<none>\n/);
    const table = (await k.run('get', 'controllerrevisions', '-n', NS)).stdout.trim().split('\n').map((l) => l.split(/\s{2,}/));
    expect(table[0]).toEqual(['NAME', 'CONTROLLER', 'REVISION', 'AGE']);
    expect(table.slice(1).map((row) => row.slice(1, 3)).sort()).toEqual([['statefulset.apps/conduit', '1'], ['statefulset.apps/conduit', '2']]);

    const undo = await k.run('rollout', 'undo', 'sts/conduit', '-n', NS);
    expect(undo.stdout.trim()).toBe('statefulset.apps/conduit rolled back');
    const status = await k.run('rollout', 'status', 'sts/conduit', '-n', NS, '--timeout=60s');
    expect(status.code).toBe(0);
    const sts = await k.json<{ spec: { template: { metadata: { annotations?: Record<string, string> } } }; status: Record<string, unknown> }>('get', 'sts/conduit', '-n', NS);
    expect(sts.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeUndefined();
    expect(sts.status).toMatchObject({ readyReplicas: 3, updatedReplicas: 3, currentRevision: sts.status.updateRevision });
    // The restored template is revision 1 again, renumbered as the newest.
    expect((await k.run('rollout', 'history', 'sts/conduit', '-n', NS)).stdout).toMatch(/REVISION {2}CHANGE-CAUSE\n2 +<none>\n3 +<none>\n/);
  });

  it('kubectl scale --replicas=2 removes conduit-2: its process gets SIGTERM and exits', async () => {
    const victim = world.kubelet.pods().find((p) => p.name === 'conduit-2')!;
    expect(victim.pid).toBeGreaterThan(0);
    expect((await k.run('scale', 'sts/conduit', '-n', NS, '--replicas=2')).stdout).toContain('scaled');
    const status = await k.run('rollout', 'status', 'sts/conduit', '-n', NS, '--timeout=60s');
    expect(status.code).toBe(0);
    await eventually(() => (processAlive(victim.pid!) ? undefined : true), 'the conduit-2 process to exit');
    const log = readFileSync(join(world.stateDir, 'logs', `${NS}_conduit-2.log`), 'utf8');
    expect(log).toContain('SIGTERM: draining');
    await eventually(() => (world.store.get('Pod', NS, 'conduit-2') ? undefined : true), 'conduit-2 to be removed');
    const list = await k.json<{ items: Pod[] }>('get', 'pods', '-n', NS);
    expect(list.items.map((p) => p.metadata.name)).toEqual(['conduit-0', 'conduit-1']);
  });

  it('a container that dies is restarted: restartCount goes up and the pod is Ready again', async () => {
    const victim = world.kubelet.pods().find((p) => p.name === 'conduit-0')!;
    process.kill(victim.pid!, 'SIGKILL');
    const pod = await eventually(async () => {
      const p = await k.json<Pod>('get', 'pod', 'conduit-0', '-n', NS);
      return p.status.containerStatuses?.[0]?.restartCount === 1 && ready(p) ? p : undefined;
    }, 'conduit-0 to be restarted and Ready');
    expect(pod.metadata.uid).toBe(world.kubelet.pods().find((p) => p.name === 'conduit-0')!.uid);
    expect(world.kubelet.pods().find((p) => p.name === 'conduit-0')!.pid).not.toBe(victim.pid);
  });

  it('a pod with an image kube-sim cannot run stays Pending with the reason', async () => {
    world.store.create('Pod', { metadata: { name: 'stranger', namespace: NS }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } });
    const pod = await eventually(async () => {
      const p = await k.json<Pod>('get', 'pod', 'stranger', '-n', NS);
      return p.status.containerStatuses ? p : undefined;
    }, 'the stranger pod to get a container status');
    expect(pod.status.phase).toBe('Pending');
    expect(pod.status.containerStatuses![0]!.state.waiting).toMatchObject({ reason: 'ErrImagePull', message: expect.stringContaining('conduit/reference-gateway') });
    expect((await k.run('delete', 'pod', 'stranger', '-n', NS)).code).toBe(0);
  });
  it('the deletions are events too: Killing from the kubelet, SuccessfulDelete from the StatefulSet controller', async () => {
    const killing = (await k.run('get', 'events', '-n', NS, '--field-selector', 'reason=Killing')).stdout;
    expect(killing).toMatch(/Normal\s+Killing\s+pod\/conduit-1\s+Stopping container gateway/);
    const deleted = (await k.run('get', 'events', '-n', NS, '--field-selector', 'reason=SuccessfulDelete')).stdout;
    expect(deleted).toContain('delete Pod conduit-2 in StatefulSet conduit successful');
  });

  it('deploy/NAME: create deployment, rollout status, rollout restart (a new ReplicaSet), delete (its pods go)', async () => {
    const created = await k.run('create', 'deployment', 'web', '-n', NS, '--image=conduit/reference-gateway:0.1.0', '--replicas=2');
    expect(created.stdout.trim()).toBe('deployment.apps/web created');
    const first = await k.run('rollout', 'status', 'deploy/web', '-n', NS, '--timeout=60s');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('deployment "web" successfully rolled out');
    const rs1 = (await k.json<{ items: { metadata: { name: string; labels: Record<string, string> } }[] }>('get', 'rs', '-n', NS, '-l', 'app=web')).items;
    expect(rs1).toHaveLength(1);
    const hash = rs1[0]!.metadata.labels['pod-template-hash'];
    expect(rs1[0]!.metadata.name).toBe(`web-${hash}`);
    const pods1 = (await k.json<{ items: Pod[] }>('get', 'pods', '-n', NS, '-l', 'app=web')).items;
    expect(pods1.map((p) => p.metadata.name)).toEqual([expect.stringMatching(new RegExp(`^web-${hash}-[a-z0-9]{5}$`)), expect.stringMatching(new RegExp(`^web-${hash}-[a-z0-9]{5}$`))]);

    expect((await k.run('rollout', 'restart', 'deploy/web', '-n', NS)).stdout.trim()).toBe('deployment.apps/web restarted');
    const second = await k.run('rollout', 'status', 'deploy/web', '-n', NS, '--timeout=60s');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('deployment "web" successfully rolled out');
    const table = (await k.run('get', 'rs', '-n', NS, '-l', 'app=web')).stdout.trim().split('\n').map((l) => l.split(/\s{2,}/));
    expect(table[0]).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    expect(table.slice(1).map((r) => r.slice(1, 4)).sort()).toEqual([['0', '0', '0'], ['2', '2', '2']]);
    const deploy = (await k.run('get', 'deploy', 'web', '-n', NS)).stdout.trim().split('\n')[1]!.split(/\s{2,}/);
    expect(deploy.slice(0, 4)).toEqual(['web', '2/2', '2', '2']);
    const scaling = (await k.run('get', 'events', '-n', NS, '--field-selector', 'reason=ScalingReplicaSet')).stdout;
    expect(scaling).toMatch(/Scaled down replica set web-\w+ from 2 to 0|Scaled down replica set web-\w+ from 1 to 0/);

    expect((await k.run('delete', 'deploy', 'web', '-n', NS)).stdout.trim()).toBe('deployment.apps "web" deleted');
    await eventually(() => (world.store.list('Pod', NS, { labelSelector: 'app=web' }).items.length === 0 ? true : undefined), 'the Deployment\'s pods to be collected');
    expect(world.store.list('ReplicaSet', NS).items).toEqual([]);
  });
});
