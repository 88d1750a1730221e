// Pod status as the kubelet reports it: phase, IPs, the four conditions and one container status.
import type { JsonMap } from '../kube-sim/store.js';

export type ContainerState =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | { terminated: { exitCode: number; signal?: number; reason: string; message?: string; startedAt?: string; finishedAt: string } };

export interface ContainerView {
  name: string;
  image: string;
  state: ContainerState;
  lastState?: ContainerState;
  ready: boolean;
  restartCount: number;
  containerID?: string;
}

export interface PodView {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  podIP?: string;
  startTime?: string;
  container: ContainerView;
  /** Bound to this node: PodScheduled and Initialized are true. */
  scheduled: boolean;
}

export const timestamp = (at: Date): string => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

type Condition = { type: string; status: 'True' | 'False'; reason?: string; message?: string; lastProbeTime: null; lastTransitionTime: string };

function condition(previous: Condition[], type: string, ok: boolean, at: string, reason?: string, message?: string): Condition {
  const status = ok ? 'True' : 'False';
  const before = previous.find((c) => c.type === type);
  const since = before && before.status === status ? before.lastTransitionTime : at;
  return { type, status, ...(ok || !reason ? {} : { reason }), ...(ok || !message ? {} : { message }), lastProbeTime: null, lastTransitionTime: since };
}

/** The status object for view, keeping transition times of conditions that did not change. */
export function podStatus(previous: JsonMap | undefined, view: PodView, now: Date): JsonMap {
  const at = timestamp(now);
  const old = (previous?.conditions ?? []) as Condition[];
  const c = view.container;
  const running = 'running' in c.state;
  const notReady = `containers with unready status: [${c.name}]`;
  const conditions: Condition[] = [
    condition(old, 'PodReadyToStartContainers', view.podIP !== undefined, at),
    condition(old, 'Initialized', view.scheduled, at),
    condition(old, 'Ready', c.ready, at, 'ContainersNotReady', notReady),
    condition(old, 'ContainersReady', c.ready, at, 'ContainersNotReady', notReady),
    condition(old, 'PodScheduled', view.scheduled, at),
  ];
  return {
    phase: view.phase,
    conditions,
    hostIP: '127.0.0.1',
    hostIPs: [{ ip: '127.0.0.1' }],
    ...(view.podIP ? { podIP: view.podIP, podIPs: [{ ip: view.podIP }] } : {}),
    ...(view.startTime ? { startTime: view.startTime } : {}),
    qosClass: 'BestEffort',
    containerStatuses: [
      {
        name: c.name,
        image: c.image,
        imageID: '',
        ...(c.containerID ? { containerID: c.containerID } : {}),
        state: c.state,
        lastState: c.lastState ?? {},
        ready: c.ready,
        restartCount: c.restartCount,
        started: running,
      },
    ],
  };
}
