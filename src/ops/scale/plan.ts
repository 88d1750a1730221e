// The pure half of `scale` (changesets' assemble-release-plan): from what was read — the
// StatefulSet, its scale, pods, counts, HPAs, PDBs and the access review — to a ScalePlan with
// its preflight findings. No I/O here, so every preflight case is a table test.

import type { AccessCheck, Count, HpaInfo, Instance, PdbInfo, ScaleInfo, StatefulSetInfo } from '../ports/index.js';
import type { CapacityPlan, Finding, PlanVerdict, ScaleDirection, ScalePlan, VictimPlan } from './plan-types.js';
import {
  checkAccess,
  checkCapacity,
  checkExpectedVictims,
  checkFloor,
  checkGracePeriod,
  checkHpa,
  checkPdbs,
  checkRequestedReplicas,
  checkTerminating,
} from './preflight.js';

export type * from './plan-types.js';

/** StatefulSet annotation giving the connections one gateway pod can hold (capacity check). */
export const MAX_CONNECTIONS_ANNOTATION = 'conduit.dev/max-connections';

export interface ScalePolicy {
  allowHpa: boolean;
  allowZero: boolean;
  /** Pods the operator expects to be removed (--remove); refused unless they are the highest ordinals. */
  remove?: readonly string[];
  /** Connections one pod can hold; default: the MAX_CONNECTIONS_ANNOTATION, else unknown. */
  capacityPerPod?: number;
  minDrainMs: number;
  pollIntervalMs: number;
  stableZeroPolls: number;
}

export interface ScalePlanInput {
  statefulSet: StatefulSetInfo;
  scale: ScaleInfo;
  /** The StatefulSet's pods, with their ordinals. */
  pods: readonly Instance[];
  /** Connection counts by pod name; a pod without an entry has an unknown count. */
  counts: ReadonlyMap<string, Count>;
  hpas: readonly HpaInfo[];
  pdbs: readonly PdbInfo[];
  /** The access checks the review did not allow. */
  denied: readonly AccessCheck[];
  requested: number;
  policy: ScalePolicy;
}

export function directionOf(current: number, requested: number): ScaleDirection {
  return requested > current ? 'up' : requested < current ? 'down' : 'none';
}

export function estimateDrainMs(policy: Pick<ScalePolicy, 'minDrainMs' | 'pollIntervalMs' | 'stableZeroPolls'>): number {
  return Math.max(policy.minDrainMs, policy.stableZeroPolls * policy.pollIntervalMs);
}

export function planScale(input: ScalePlanInput): ScalePlan {
  const { statefulSet: sts, scale, policy, requested } = input;
  const current = scale.replicas;
  const usage = checkRequestedReplicas(requested);
  const direction = usage.length ? 'none' : directionOf(current, requested);
  const victims = direction === 'down' ? victimsOf(sts.name, input.pods, input.counts, requested, current) : [];
  const survivors = input.pods.filter((p) => p.ordinal !== undefined && p.ordinal < Math.min(requested, current));
  const connectionsToMove = sumKnown(victims.map((v) => (v.exists && !v.terminating ? v.connections : { known: true, value: 0 })));
  const estimatedDrainMs = estimateDrainMs(policy);
  const capacity = direction === 'down' ? capacityOf(sts, survivors, input.counts, policy.capacityPerPod) : null;

  const findings: Finding[] = usage.length
    ? usage
    : [
        ...checkExpectedVictims(sts.name, policy.remove, victims),
        ...checkAccess(input.denied),
        ...checkHpa(input.hpas, policy.allowHpa, direction),
        ...checkFloor(requested, policy.allowZero),
        ...checkPdbs(input.pdbs, requested, direction),
        ...checkGracePeriod(sts.terminationGracePeriodSeconds, estimatedDrainMs, direction),
        ...checkCapacity(capacity, connectionsToMove, requested),
        ...checkTerminating(input.pods, victims),
      ];

  return {
    statefulSet: sts.name,
    statefulSetUid: sts.uid,
    namespace: sts.namespace,
    current,
    requested,
    direction,
    podManagementPolicy: sts.podManagementPolicy,
    resourceVersion: scale.resourceVersion,
    victims,
    survivors: survivors.map((p) => p.name),
    connectionsToMove,
    estimatedDrainMs,
    terminationGracePeriodSeconds: sts.terminationGracePeriodSeconds,
    capacity,
    findings,
    verdict: verdictOf(findings, direction),
  };
}

function verdictOf(findings: readonly Finding[], direction: ScaleDirection): PlanVerdict {
  if (findings.some((f) => f.level === 'usage')) return 'usage';
  if (findings.some((f) => f.level === 'refuse')) return 'refused';
  return direction === 'none' ? 'none' : 'proceed';
}

/** Ordinals requested…current-1, highest first: the order the controller removes them in. */
function victimsOf(name: string, pods: readonly Instance[], counts: ReadonlyMap<string, Count>, requested: number, current: number): VictimPlan[] {
  const victims: VictimPlan[] = [];
  for (let ordinal = current - 1; ordinal >= requested; ordinal--) {
    const pod = pods.find((p) => p.ordinal === ordinal);
    const podName = pod?.name ?? `${name}-${ordinal}`;
    victims.push({
      name: podName,
      ordinal,
      ...(pod?.uid !== undefined ? { uid: pod.uid } : {}),
      exists: !!pod,
      ready: pod?.ready ?? false,
      terminating: !!pod?.deletionTimestamp,
      ...(pod?.deletionTimestamp ? { graceEndsAt: pod.deletionTimestamp } : {}),
      connections: pod ? (counts.get(podName) ?? { known: false, reason: 'not read' }) : { known: true, value: 0 },
    });
  }
  return victims;
}

function capacityOf(sts: StatefulSetInfo, survivors: readonly Instance[], counts: ReadonlyMap<string, Count>, override?: number): CapacityPlan | null {
  const perPod = override ?? parseCapacity(sts.annotations[MAX_CONNECTIONS_ANNOTATION]);
  if (perPod === undefined) return null;
  const serving = survivors.filter((p) => p.ready !== false && !p.deletionTimestamp);
  let free = 0;
  for (const pod of serving) {
    const count = counts.get(pod.name);
    // A survivor whose load is unknown is assumed full: unknown is never room.
    if (count?.known) free += Math.max(0, perPod - count.value);
  }
  return { perPod, free, survivorsCounted: serving.length };
}

function parseCapacity(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const value = Number(text);
  return value > 0 ? value : undefined;
}

function sumKnown(counts: readonly Count[]): number | null {
  let total = 0;
  for (const count of counts) {
    if (!count.known) return null;
    total += count.value;
  }
  return total;
}
