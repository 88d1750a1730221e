// The pod runner ("kubelet") of kube-sim's single node: one PodWorker per pod uid, driven by the
// store's pod events. A pod that gets a deletionTimestamp is terminated gracefully and then
// finalized; a pod that vanishes at once (grace 0, namespace deletion) is killed.
import { createEventRecorder } from '../kube-sim/event-recorder.js';
import type { KubeObject, KubeStore, StoreEvent } from '../kube-sim/store.js';
import type { Environment } from './container-env.js';
import { createInProcessRuntime } from './in-process-runtime.js';
import { createIpPool } from './ip-pool.js';
import { PodWorker, type HookRecord, type KubeletContext } from './pod-worker.js';
import { createProcessRuntime } from './process-runtime.js';
import type { ContainerRuntime, RuntimeMode } from './runtime.js';

export interface KubeletOptions {
  /** Loopback range for pod IPs, e.g. 127.0.100.0/24. */
  podCidr: string;
  mode?: RuntimeMode;
  /** A runtime of your own (tests); overrides mode. */
  runtime?: ContainerRuntime;
  /** Variables every container starts with (PATH, HOME …); the daemon passes its own. */
  baseEnv?: Environment;
  nodeName?: string;
  /** Process runtime: append each pod's output to DIR/NAMESPACE_NAME.log. */
  logDir?: string;
  /** Restart back-off: first delay, doubled per restart up to 10× (Kubernetes: 10 s → 5 min). */
  restartBackoffMs?: number;
  log?: (message: string) => void;
}

export interface RunningPod {
  namespace: string;
  name: string;
  uid: string;
  pid?: number;
}

export interface Kubelet {
  readonly mode: RuntimeMode;
  readonly nodeName: string;
  /** Pods with a live worker, and their container's pid when it is a process. */
  pods(): RunningPod[];
  /** Every preStop hook that ran, in order (tests read this; the marker file is the real proof). */
  hooks(): readonly HookRecord[];
  /** Stops every container: SIGTERM, then SIGKILL after graceMs. Pod objects are left as they are. */
  stop(graceMs?: number): Promise<void>;
}

export function startKubelet(store: KubeStore, options: KubeletOptions): Kubelet {
  const runtime = options.runtime ?? (options.mode === 'in-process' ? createInProcessRuntime() : createProcessRuntime({ logDir: options.logDir }));
  const firstDelay = options.restartBackoffMs ?? 1000;
  const nodeName = options.nodeName ?? 'kube-sim-node';
  const ctx: KubeletContext = {
    store,
    runtime,
    ips: createIpPool(options.podCidr),
    baseEnv: options.baseEnv ?? {},
    nodeName,
    events: createEventRecorder(store, { component: 'kubelet', host: nodeName }),
    schedulerEvents: createEventRecorder(store, { component: 'default-scheduler' }),
    restartDelayMs: (n) => Math.min(firstDelay * 2 ** (n - 1), firstDelay * 10),
    log: options.log ?? (() => {}),
  };
  const workers = new Map<string, PodWorker>();
  const hooks: HookRecord[] = [];
  const pending = new Set<Promise<void>>();
  let stopped = false;

  const tracked = new Set<string>();
  const track = (work: Promise<void>, uid: string): void => {
    if (tracked.has(uid)) return;
    tracked.add(uid);
    const settled = work
      .catch((error: unknown) => ctx.log(`pod ${uid}: ${(error as Error).message}`))
      .finally(() => {
        pending.delete(settled);
        workers.delete(uid);
        tracked.delete(uid);
      });
    pending.add(settled);
  };

  const onPod = (type: StoreEvent['type'], pod: KubeObject): void => {
    const uid = pod.metadata.uid!;
    let worker = workers.get(uid);
    if (type === 'DELETED') {
      if (worker) track(worker.kill(), uid);
      return;
    }
    if (!worker) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') return;
      if (pod.spec?.nodeName && pod.spec.nodeName !== ctx.nodeName) return;
      if (pod.metadata.deletionTimestamp) {
        // Never started here: nothing to stop.
        store.finalize('Pod', pod.metadata.namespace, pod.metadata.name!);
        return;
      }
      worker = new PodWorker(ctx, pod, (record) => hooks.push(record));
      workers.set(uid, worker);
      worker.start();
      return;
    }
    if (pod.metadata.deletionTimestamp) track(worker.terminate(pod.metadata.deletionGracePeriodSeconds ?? 30), uid);
  };

  const off = store.subscribe((event) => {
    if (event.kind === 'Pod' && !stopped) onPod(event.type, event.object);
  });
  for (const pod of store.list('Pod').items) onPod('ADDED', pod);

  return {
    mode: runtime.mode,
    nodeName: ctx.nodeName,
    pods: () => [...workers.values()].map((w) => ({ namespace: w.namespace, name: w.name, uid: w.uid, ...(w.pid ? { pid: w.pid } : {}) })),
    hooks: () => hooks,
    async stop(graceMs = 5000) {
      stopped = true;
      off();
      await Promise.all([...[...workers.values()].map((w) => w.shutdown(graceMs)), ...pending]);
    },
  };
}
