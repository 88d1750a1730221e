// The whole test world in one call: kube-sim's API server, its controllers (StatefulSet,
// Deployment, ReplicaSet, endpoints, garbage collector), the pod runner and the service proxy, seeded with the Conduit objects, plus a
// kubeconfig for kubectl and conduitctl. close() stops every process it started and removes the
// temporary state it created.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDeploymentController } from './controllers/deployment.js';
import { startEndpointsController } from './controllers/endpoints.js';
import { startGarbageCollector } from './controllers/garbage-collector.js';
import { isHealthy } from './controllers/pod-state.js';
import { startReplicaSetController } from './controllers/replicaset.js';
import { startStatefulSetController, type ControllerHandle } from './controllers/statefulset.js';
import { seedNamespace, startKubeSim, type KubeSim } from './kube-sim/index.js';
import type { KubeObject, KubeStore } from './kube-sim/store.js';
import type { Environment } from './kubelet/container-env.js';
import { startKubelet, type Kubelet } from './kubelet/kubelet.js';
import type { RuntimeMode } from './kubelet/runtime.js';
import { conduitManifests, type ConduitManifestOptions } from './manifests.js';
import { startServiceProxy, type ServiceAddress, type ServiceProxy } from './service-proxy/service-proxy.js';
import { createIpPool } from './kubelet/ip-pool.js';

export const DEFAULT_POD_CIDR = '127.0.100.0/24';
export const DEFAULT_SERVICE_CIDR = '127.0.101.0/24';

export interface SandboxWorldOptions {
  /** Kubeconfig, kube-sim's CA and token, pod logs. Default: a temp dir removed by close(). */
  stateDir?: string;
  podCidr?: string;
  serviceCidr?: string;
  apiPort?: number;
  /** Address the API (and, when it is loopback, the control listener) binds; default 127.0.0.1. */
  apiAddress?: string;
  /** 'process' (default): one OS process per pod; 'in-process': every gateway in this process. */
  mode?: RuntimeMode;
  /** The Conduit objects to create; false for an empty cluster. */
  manifests?: ConduitManifestOptions | false;
  /** Variables every container and preStop hook starts with (PATH, HOME …). */
  baseEnv?: Environment;
  restartBackoffMs?: number;
  log?: (message: string) => void;
}

export interface SandboxWorld {
  sim: KubeSim;
  store: KubeStore;
  kubelet: Kubelet;
  proxy: ServiceProxy;
  stateDir: string;
  kubeconfigPath: string;
  apiUrl: string;
  controlUrl: string;
  namespace: string;
  podCidr: string;
  serviceCidr: string;
  /** The Conduit Service's cluster IP and ports (undefined until its listener is up). */
  service(): ServiceAddress | undefined;
  /** Resolves when the StatefulSet has all its replicas Ready and the Service has endpoints. */
  waitUntilReady(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSandboxWorld(options: SandboxWorldOptions = {}): Promise<SandboxWorld> {
  const ownsStateDir = !options.stateDir;
  const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'conduit-sandbox-')));
  await mkdir(join(stateDir, 'logs'), { recursive: true, mode: 0o700 });
  const log = options.log ?? (() => {});
  const podCidr = options.podCidr ?? DEFAULT_POD_CIDR;
  const serviceCidr = options.serviceCidr ?? DEFAULT_SERVICE_CIDR;
  // The Service's address is fixed up front so the pods' preStop hooks can send clients through it.
  const manifests = options.manifests === false ? undefined : conduitManifests({ serviceClusterIP: createIpPool(serviceCidr).allocate('conduit'), ...options.manifests });
  const namespace = manifests?.namespace.metadata.name ?? 'default';

  const stops: (() => Promise<void> | void)[] = [];
  const close = async (): Promise<void> => {
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch((error: unknown) => log(`close: ${(error as Error).message}`));
    stops.length = 0;
    if (ownsStateDir) await rm(stateDir, { recursive: true, force: true });
  };
  try {
    const sim = await startKubeSim({ host: options.apiAddress ?? '127.0.0.1', port: options.apiPort ?? 0, stateDir: join(stateDir, 'kube-sim') });
    stops.push(() => sim.close());
    const { store } = sim;
    const onError = (message: string) => log(`controller: ${message}`);
    const controllers: ControllerHandle[] = [
      startGarbageCollector(store, { onError }),
      startStatefulSetController(store, { onError }),
      startDeploymentController(store, { onError }),
      startReplicaSetController(store, { onError }),
      startEndpointsController(store, { onError }),
    ];
    stops.push(() => controllers.forEach((c) => c.stop()));
    const kubeconfigPath = join(stateDir, 'kubeconfig');
    await sim.writeKubeconfig(kubeconfigPath, { namespace });
    const kubelet = startKubelet(store, {
      podCidr,
      mode: options.mode ?? 'process',
      // What a pod's service account is on a cluster: hooks such as `conduitctl drain --local` find the API.
      baseEnv: { KUBECONFIG: kubeconfigPath, ...(options.baseEnv ?? {}) },
      logDir: join(stateDir, 'logs'),
      restartBackoffMs: options.restartBackoffMs,
      log,
    });
    stops.push(() => kubelet.stop(3000));
    const proxy = startServiceProxy(store, { serviceCidr, log });
    stops.push(() => proxy.stop());

    if (manifests) {
      seedNamespace(store, namespace);
      store.create('Service', manifests.service);
      store.create('PodDisruptionBudget', manifests.podDisruptionBudget);
      store.create('StatefulSet', manifests.statefulSet);
    }
    const stsName = manifests?.statefulSet.metadata.name;

    return {
      sim,
      store,
      kubelet,
      proxy,
      stateDir,
      kubeconfigPath,
      apiUrl: sim.url,
      controlUrl: sim.controlUrl,
      namespace,
      podCidr,
      serviceCidr,
      service: () => (stsName ? proxy.address(namespace, manifests!.service.metadata.name!) : undefined),
      async waitUntilReady(timeoutMs = 30_000) {
        if (!stsName) return;
        const serviceName = manifests!.service.metadata.name!;
        const ready = () => statefulSetReady(store, namespace, stsName) && readyEndpointCount(store, namespace, serviceName) === store.get('StatefulSet', namespace, stsName)?.spec?.replicas;
        await waitFor(store, ready, timeoutMs, `statefulset ${namespace}/${stsName} and its service to be ready`);
        await proxy.settled();
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Every wanted replica exists, is Ready, not terminating, and runs the update revision. */
export function statefulSetReady(store: KubeStore, namespace: string, name: string): boolean {
  const sts = store.get('StatefulSet', namespace, name);
  if (!sts?.status) return false;
  const replicas: number = sts.spec?.replicas ?? 1;
  const counted = sts.status.observedGeneration === sts.metadata.generation && sts.status.readyReplicas === replicas && sts.status.updatedReplicas === replicas;
  if (!counted) return false;
  const pods = store
    .list('Pod', namespace)
    .items.filter((pod: KubeObject) => pod.metadata.ownerReferences?.some((ref) => ref.uid === sts.metadata.uid));
  return pods.length === replicas && pods.every(isHealthy);
}

export function readyEndpointCount(store: KubeStore, namespace: string, service: string): number {
  const subsets = (store.get('Endpoints', namespace, service)?.subsets ?? []) as { addresses?: unknown[] }[];
  return subsets.reduce((sum, s) => sum + (s.addresses?.length ?? 0), 0);
}

/** Resolves once check() holds, re-checking on every store change; rejects at the deadline. */
export function waitFor(store: KubeStore, check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    // Check once per burst of changes, not once per change: a fleet start is thousands of writes.
    let queued = false;
    const off = store.subscribe(() => {
      if (queued) return;
      queued = true;
      setImmediate(() => {
        queued = false;
        if (!check()) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  });
}
