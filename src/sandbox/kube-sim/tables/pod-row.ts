// A pod's Table cells as the API server's printPod computes them (READY, STATUS, RESTARTS …),
// for the single-container pods kube-sim runs plus init containers a manifest may carry.
import type { JsonMap, KubeObject } from '../store.js';
import { ageSince } from './duration.js';

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  started?: boolean;
  state?: { waiting?: { reason?: string }; running?: unknown; terminated?: { reason?: string; exitCode?: number; signal?: number } };
  lastState?: { terminated?: { finishedAt?: string } };
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

function laterOf(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function terminatedReason(t: NonNullable<NonNullable<ContainerStatus['state']>['terminated']>, prefix = ''): string {
  if (t.reason) return prefix + t.reason;
  return t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode ?? 0}`;
}

export function podCells(pod: KubeObject, now: number): { cells: unknown[]; conditions?: JsonMap[] } {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const initSpecs = (spec.initContainers ?? []) as JsonMap[];
  const restartable = new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => c.name as string));
  const total = ((spec.containers ?? []) as unknown[]).length + restartable.size;
  let ready = 0;
  let restarts = 0;
  let lastRestart: string | undefined;
  let reason: string = status.reason || status.phase || '';
  const conditions = (status.conditions ?? []) as JsonMap[];
  if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses = (status.initContainerStatuses ?? []) as ContainerStatus[];
  for (const [i, c] of initStatuses.entries()) {
    restarts += c.restartCount ?? 0;
    lastRestart = laterOf(lastRestart, c.lastState?.terminated?.finishedAt);
    const isRestartable = restartable.has(c.name ?? '');
    if (c.state?.terminated && (c.state.terminated.exitCode ?? 0) === 0) continue;
    if (isRestartable && c.started) {
      if (c.ready) ready += 1;
      continue;
    }
    if (c.state?.terminated) reason = terminatedReason(c.state.terminated, 'Init:');
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }

  const initialized = conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = 0;
    lastRestart = undefined;
    for (const c of initStatuses.filter((s) => restartable.has(s.name ?? ''))) {
      restarts += c.restartCount ?? 0;
      lastRestart = laterOf(lastRestart, c.lastState?.terminated?.finishedAt);
    }
    let hasRunning = false;
    const statuses = (status.containerStatuses ?? []) as ContainerStatus[];
    for (let i = statuses.length - 1; i >= 0; i -= 1) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      lastRestart = laterOf(lastRestart, c.lastState?.terminated?.finishedAt);
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated) reason = terminatedReason(c.state.terminated);
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready += 1;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditions.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !TERMINAL.has(status.phase)) reason = 'Terminating';

  const restartsText = restarts !== 0 && lastRestart ? `${restarts} (${ageSince(lastRestart, now)} ago)` : String(restarts);
  // The API server keeps podIPs[0] and podIP the same (conversion fills one from the other).
  const podIP = ((status.podIPs ?? []) as JsonMap[])[0]?.ip || status.podIP || '<none>';
  const gates = (spec.readinessGates ?? []) as JsonMap[];
  const gateText =
    gates.length === 0
      ? '<none>'
      : `${gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length}/${gates.length}`;
  const cells = [
    pod.metadata.name,
    `${ready}/${total}`,
    reason,
    restartsText,
    ageSince(pod.metadata.creationTimestamp, now),
    podIP,
    spec.nodeName || '<none>',
    status.nominatedNodeName || '<none>',
    gateText,
  ];
  if (status.phase === 'Succeeded') return { cells, conditions: [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }] };
  if (status.phase === 'Failed') return { cells, conditions: [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }] };
  return { cells };
}
