// The reads a plan is made from (no mutation: the access review is a question, not a change).

import { mapLimited } from '../../util/concurrency.js';
import { UsageError } from '../errors.js';
import { accessChecksFor, type AdminTransport } from '../access/index.js';
import type { Count, GatewayAdmin, Instance, StatefulSetInfo, Workloads } from '../ports/index.js';
import { directionOf, planScale, type ScalePlanInput, type ScalePolicy } from './plan.js';
import type { ScalePlan } from './plan-types.js';

const COUNT_CONCURRENCY = 16;

export interface ReadStateOptions {
  workloads: Workloads;
  gateway: GatewayAdmin;
  name: string;
  /** Already read by the caller: not read again. */
  statefulSet?: StatefulSetInfo;
  requested: number;
  policy: ScalePolicy;
  adminTransport: AdminTransport;
  signal: AbortSignal;
}

export async function readAndPlan(o: ReadStateOptions): Promise<ScalePlan> {
  return planScale(await readPlanInput(o));
}

export async function readPlanInput(o: ReadStateOptions): Promise<ScalePlanInput> {
  const statefulSet = o.statefulSet ?? (await o.workloads.getStatefulSet(o.name, o.signal));
  if (!statefulSet) throw new UsageError(`statefulset "${o.name}" not found`, 'check the name, --namespace and --context');
  const scale = await o.workloads.getScale(o.name, o.signal);
  const direction = Number.isInteger(o.requested) && o.requested >= 0 ? directionOf(scale.replicas, o.requested) : 'none';
  const denied = await o.workloads.denied(accessChecksFor({ operation: 'scale', statefulSet: o.name, direction, transport: o.adminTransport }), o.signal);
  const [pods, hpas] = await Promise.all([
    o.workloads.podsOf(statefulSet, o.signal),
    o.workloads.hpasTargeting('StatefulSet', o.name, o.signal),
  ]);
  const pdbs = pods[0] ? await o.workloads.pdbsFor(pods[0], o.signal) : [];
  const counts = direction === 'down' ? await readCounts(o.gateway, pods, o.signal) : new Map<string, Count>();
  return { statefulSet, scale, pods, counts, hpas, pdbs, denied, requested: o.requested, policy: o.policy };
}

/** Counts of the pods that are not terminating (a terminating pod's count is its own business). */
export async function readCounts(gateway: GatewayAdmin, pods: readonly Instance[], signal: AbortSignal): Promise<Map<string, Count>> {
  const serving = pods.filter((pod) => !pod.deletionTimestamp);
  const entries = await mapLimited(serving, COUNT_CONCURRENCY, async (pod) => [pod.name, await gateway.connections(pod, signal)] as const);
  return new Map(entries);
}
