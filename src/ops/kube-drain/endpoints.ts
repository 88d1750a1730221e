// RELIABILITY K16: a draining pod should leave its Service's EndpointSlices before its zero
// counts for much. The stable-zero rule's minimum drain time covers the usual propagation; this
// watch reports when the slice shows the pod not ready, or warns when it still does at the bound.

import type { Deadline } from '../../util/deadline.js';
import { isAbortError } from '../../util/abort.js';
import type { Clock, EndpointReadiness, Instance, Workloads } from '../ports/index.js';
import type { KubeDrainEvent } from './events.js';

export interface EndpointWatch {
  workloads: Workloads;
  clock: Clock;
  serviceName: string;
  timeoutMs: number;
  pollIntervalMs: number;
  deadline: Deadline;
  signal: AbortSignal;
  emit(event: KubeDrainEvent): void;
}

export async function watchEndpointLeaves(pod: Instance, o: EndpointWatch): Promise<EndpointReadiness> {
  const startedAt = o.clock.now();
  let readiness: EndpointReadiness = 'unknown';
  for (;;) {
    try {
      readiness = await o.workloads.endpointReadiness(o.serviceName, pod, o.signal);
    } catch (error) {
      if (isAbortError(error) || o.signal.aborted) throw error;
      readiness = 'unknown';
    }
    const waitedMs = o.clock.now() - startedAt;
    if (readiness === 'not-ready' || readiness === 'absent') {
      o.emit({ type: 'endpoint', instance: pod.name, readiness, waitedMs, settled: true });
      return readiness;
    }
    if (waitedMs >= o.timeoutMs || o.deadline.expired()) {
      o.emit({ type: 'endpoint', instance: pod.name, readiness, waitedMs, settled: false });
      return readiness;
    }
    await o.clock.sleep(Math.min(o.pollIntervalMs, o.timeoutMs - waitedMs, o.deadline.remaining()), o.signal);
  }
}
