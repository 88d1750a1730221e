// Sending clients to a load balancer or Service is only safe once the source is out of rotation —
// otherwise they come straight back. Kubernetes: the Service's EndpointSlices show the pod not
// ready (or not at all). Any other load balancer: a few fresh upgrades through its URL, without
// cookies, all land on other instances. Checked (and waited for, with a deadline) before the
// first batch.

import { Deadline } from '../../util/deadline.js';
import type { Clock, Instance, StickySampler, Workloads } from '../ports/index.js';

export type RotationState = { state: 'in' | 'out' | 'unknown'; detail: string };
export type RotationCheck = (signal?: AbortSignal) => Promise<RotationState>;

export function endpointSliceRotation(workloads: Workloads, serviceName: string, source: Instance): RotationCheck {
  return async (signal) => {
    const readiness = await workloads.endpointReadiness(serviceName, source, signal);
    const where = `the EndpointSlices of Service ${serviceName}`;
    switch (readiness) {
      case 'ready':
        return { state: 'in', detail: `${where} still show ${source.name} ready` };
      case 'not-ready':
        return { state: 'out', detail: `${where} show ${source.name} not ready` };
      case 'absent':
        return { state: 'out', detail: `${where} no longer list ${source.name}` };
      case 'unknown':
        return { state: 'unknown', detail: `${where} could not be read` };
    }
  };
}

/** `samples` fresh upgrades through the load balancer: out of rotation when every one lands elsewhere. */
export function loadBalancerRotation(sampler: StickySampler, source: string, samples = 5): RotationCheck {
  return async (signal) => {
    const landed: string[] = [];
    for (let id = 1; id <= samples; id += 1) {
      const client = sampler.openClient({ id });
      try {
        const sample = await client.sample(signal);
        // A draining source refuses the upgrade (503) but still names itself: the load balancer
        // has not taken it out yet.
        if (sample.outcome !== 'answered' && sample.reportedInstance === source) {
          return { state: 'in', detail: `fresh upgrades through ${sampler.describe().url} still reach ${source} (${sample.detail ?? sample.outcome})` };
        }
        if (sample.outcome !== 'answered') return { state: 'unknown', detail: `an upgrade through ${sampler.describe().url} failed (${sample.outcome}${sample.detail ? `: ${sample.detail}` : ''})` };
        landed.push(sample.instance!);
      } finally {
        await client.close();
      }
    }
    const back = landed.filter((name) => name === source).length;
    const url = sampler.describe().url;
    if (back > 0) return { state: 'in', detail: `${back} of ${samples} fresh upgrades through ${url} still landed on ${source}` };
    const where = [...new Set(landed)].sort();
    return { state: 'out', detail: `${samples} fresh upgrades through ${url} landed on ${where.join(', ')}, none on ${source}${where.length === 1 && samples > 1 ? pinnedCaveat(source) : ''}` };
  };
}

/**
 * Every upgrade from this host on one instance is also what client-IP affinity shows (a ClientIP
 * Service, nginx ip_hash, HAProxy balance source): this host's pin, not the rotation other
 * clients see. It is said, not refused: with one receiver it is simply the truth.
 */
function pinnedCaveat(source: string): string {
  return (
    ` (all on one instance: behind client-IP affinity that is only where this host is pinned, and other clients may still reach ${source} ` +
    "until the balancer's health check drops it; they get a 503 and retry — keep --reconnect-after's lower bound above that delay)"
  );
}

export interface RotationWait {
  check: RotationCheck;
  clock: Clock;
  timeoutMs: number;
  pollIntervalMs: number;
  signal: AbortSignal;
  onPoll?(state: RotationState): void;
}

/** Poll until out of rotation or the deadline; the last state says which. */
export async function waitOutOfRotation(o: RotationWait): Promise<RotationState & { waitedMs: number }> {
  const startedAt = o.clock.now();
  const deadline = new Deadline(o.clock, o.timeoutMs);
  for (;;) {
    const state = await o.check(o.signal);
    o.onPoll?.(state);
    if (state.state === 'out' || deadline.expired()) return { ...state, waitedMs: o.clock.now() - startedAt };
    await o.clock.sleep(Math.min(o.pollIntervalMs, Math.max(1, deadline.remaining())), o.signal);
  }
}
