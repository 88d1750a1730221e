// What every moving verb wires the same way: where clients are sent (pods, or a load balancer
// with its out-of-rotation check), each instance's limit, and the batch ids' run id.
import { randomBytes } from 'node:crypto';
import type { Session } from '../../../cli/session.js';
import type { MigrateFlagValues } from '../../../cli/migrate-flags.js';
import type { Destination } from '../../../ops/migrate/migrate-source.js';
import { endpointSliceRotation, loadBalancerRotation } from '../../../ops/migrate/rotation.js';
import type { Instance, StatefulSetInfo, Workloads } from '../../../ops/ports/index.js';
import { MAX_CONNECTIONS_ANNOTATION } from '../../../ops/scale/plan.js';
import { takeLock, workloadLockName, type HeldLock } from '../../../ops/workload-lock/index.js';

const LEASE_SECONDS = 60;

export interface DestinationContext {
  /** The source's StatefulSet on Kubernetes: its Service's EndpointSlices show rotation. */
  statefulSet?: StatefulSetInfo;
  /** Kubernetes: reads the Service's EndpointSlices. */
  workloads?: Workloads;
  rotationTimeoutMs: number;
  pollIntervalMs: number;
}

export async function destinationFor(session: Session, flags: MigrateFlagValues, source: Instance, ctx: DestinationContext): Promise<Destination> {
  if (flags.reconnectUrl === undefined) return { kind: 'direct', ws: flags.ws };
  const common = { kind: 'url' as const, url: flags.reconnectUrl, rotationTimeoutMs: ctx.rotationTimeoutMs, pollIntervalMs: ctx.pollIntervalMs };
  if (ctx.workloads && ctx.statefulSet?.serviceName) {
    return { ...common, rotation: endpointSliceRotation(ctx.workloads, ctx.statefulSet.serviceName, source) };
  }
  const { createWsSampler } = await import('../../../sticky-sampler/ws-sampler.js');
  const sampler = createWsSampler({
    url: flags.reconnectUrl,
    cookies: false,
    // The contract names the instance on every answer, the 101 and a draining gateway's 503 alike.
    instanceFrom: { kind: 'header', name: 'x-conduit-instance' },
    timeoutMs: session.globals.requestTimeoutMs,
    rejectUnauthorized: !session.globals.insecureSkipTlsVerify,
  });
  return { ...common, rotation: loadBalancerRotation(sampler, source.name) };
}

/** --max-connections, else the StatefulSet's conduit.dev/max-connections, else no limit known. */
export function maxConnectionsOf(flags: MigrateFlagValues, statefulSet?: StatefulSetInfo): number | undefined {
  if (flags.maxConnections !== undefined) return flags.maxConnections;
  const text = statefulSet?.annotations[MAX_CONNECTIONS_ANNOTATION]?.trim();
  return text && /^\d+$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}

/** A short id naming this run's batches (`<id>-<n>`), unique enough across runs and operators. */
export function newRunId(source: string): string {
  return `${source}-${randomBytes(4).toString('hex')}`;
}

/** The StatefulSet's lock for a whole migrate or rebalance; a lost renewal stops it before the next batch. */
export async function lockStatefulSet(session: Session, workloads: Workloads, statefulSet: StatefulSetInfo): Promise<HeldLock> {
  return takeLock({
    workloads,
    clock: session.factory.clock,
    name: workloadLockName('statefulset', statefulSet.name),
    holder: session.factory.operator,
    durationSeconds: LEASE_SECONDS,
    signal: session.factory.signal,
    onRenewFailed: () => undefined,
  });
}
