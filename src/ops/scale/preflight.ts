// The preflight checks of a scale (RELIABILITY rule 6), each a pure function of what was read.
// A failed check changes nothing: the command exits 2 (usage) or 3 (refused) before any mutation.

import { deniedMessage } from '../access/index.js';
import type { AccessCheck, HpaInfo, Instance, PdbInfo, StatefulSetInfo } from '../ports/index.js';
import type { CapacityPlan, Finding, ScaleDirection, VictimPlan } from './plan-types.js';

export function checkRequestedReplicas(requested: number): Finding[] {
  if (Number.isInteger(requested) && requested >= 0) return [];
  return [{ level: 'usage', check: 'replicas', message: `--replicas must be a whole number ≥ 0, got ${requested}` }];
}

/** The operator named the pods to remove (--remove): they must be exactly the highest ordinals. */
export function checkExpectedVictims(statefulSet: string, expected: readonly string[] | undefined, victims: readonly VictimPlan[]): Finding[] {
  if (!expected) return [];
  const victimNames = new Set(victims.map((v) => v.name));
  const findings: Finding[] = [];
  for (const name of expected) {
    if (victimNames.has(name)) continue;
    const owned = name.startsWith(`${statefulSet}-`) && /^\d+$/.test(name.slice(statefulSet.length + 1));
    findings.push({
      level: 'refuse',
      check: 'victims',
      message: owned
        ? `${name} would not be removed: a StatefulSet always removes its highest ordinals first (this scale removes ${describeNames([...victimNames])})`
        : `${name} is not a pod of statefulset ${statefulSet}`,
      hint: owned ? 'to replace one specific pod, drain it and delete it (drain POD --then delete); the StatefulSet re-creates it' : undefined,
    });
  }
  const missing = [...victimNames].filter((name) => !expected.includes(name));
  if (missing.length > 0 && findings.length === 0) {
    findings.push({ level: 'refuse', check: 'victims', message: `this scale would also remove ${describeNames(missing)}, which --remove does not name` });
  }
  return findings;
}

export function checkHpa(hpas: readonly HpaInfo[], allowHpa: boolean, direction: ScaleDirection): Finding[] {
  if (hpas.length === 0 || direction === 'none') return [];
  const names = hpas.map((h) => `${h.name} (min ${h.minReplicas}, max ${h.maxReplicas})`).join(', ');
  if (allowHpa) {
    return [{ level: 'warn', check: 'hpa', message: `HorizontalPodAutoscaler ${names} also sets spec.replicas and may revert this scale` }];
  }
  return [
    {
      level: 'refuse',
      check: 'hpa',
      message: `HorizontalPodAutoscaler ${names} owns spec.replicas of this StatefulSet: a manual scale would fight it`,
      hint: 'change the HPA’s minReplicas/maxReplicas instead, or pass --allow-hpa',
    },
  ];
}

export function checkFloor(requested: number, allowZero: boolean): Finding[] {
  if (requested !== 0 || allowZero) return [];
  return [
    {
      level: 'refuse',
      check: 'floor',
      message: 'scaling to 0 removes every gateway: clients would have nowhere to reconnect (the floor is 1)',
      hint: 'pass --allow-zero if that is really what you want',
    },
  ];
}

export function checkPdbs(pdbs: readonly PdbInfo[], requested: number, direction: ScaleDirection): Finding[] {
  if (direction !== 'down') return [];
  return pdbs.flatMap((pdb): Finding[] => {
    if (typeof pdb.minAvailable !== 'number' || requested >= pdb.minAvailable) return [];
    return [
      {
        level: 'refuse',
        check: 'pdb',
        message: `PodDisruptionBudget ${pdb.name} requires minAvailable ${pdb.minAvailable}; scaling to ${requested} would go below it`,
        hint: `scale to ${pdb.minAvailable} or more, or change the PodDisruptionBudget first`,
      },
    ];
  });
}

export function checkGracePeriod(graceSeconds: number, estimatedDrainMs: number, direction: ScaleDirection): Finding[] {
  if (direction !== 'down') return [];
  if (graceSeconds <= 0) {
    return [
      {
        level: 'refuse',
        check: 'grace-period',
        message: 'terminationGracePeriodSeconds is 0: a removed pod is killed at once and any late connection is dropped silently',
        hint: 'set terminationGracePeriodSeconds to at least the drain time (see docs/prestop.md)',
      },
    ];
  }
  if (graceSeconds * 1000 >= estimatedDrainMs) return [];
  return [
    {
      level: 'warn',
      check: 'grace-period',
      message: `terminationGracePeriodSeconds (${graceSeconds}s) is shorter than the least drain time (${Math.ceil(estimatedDrainMs / 1000)}s): a pod removed outside conduitctl is killed before it can drain`,
      hint: 'raise terminationGracePeriodSeconds (see docs/prestop.md)',
    },
  ];
}

export function checkAccess(denied: readonly AccessCheck[]): Finding[] {
  return denied.map((check) => ({
    level: 'refuse' as const,
    check: 'rbac' as const,
    message: deniedMessage(check),
    hint: 'ask for the Role in docs/rbac.md (least privilege) or run with a context that has it',
  }));
}

export function checkCapacity(capacity: CapacityPlan | null, connectionsToMove: number | null, requested: number): Finding[] {
  if (!capacity || connectionsToMove === null || requested === 0) return [];
  if (capacity.free >= connectionsToMove) return [];
  return [
    {
      level: 'refuse',
      check: 'capacity',
      message: `the survivors have room for ${capacity.free} more connections (${capacity.survivorsCounted} pods × ${capacity.perPod}), but the victims hold ${connectionsToMove}`,
      hint: 'scale down by fewer pods, or raise the per-pod capacity',
    },
  ];
}

export function checkTerminating(pods: readonly Instance[], victims: readonly VictimPlan[]): Finding[] {
  const victimNames = new Set(victims.map((v) => v.name));
  return pods
    .filter((pod) => pod.deletionTimestamp)
    .map((pod) => ({
      level: 'info' as const,
      check: 'terminating' as const,
      message: victimNames.has(pod.name)
        ? `${pod.name} is already terminating (grace ends ${pod.deletionTimestamp}): it is not drained again`
        : `${pod.name} is terminating (grace ends ${pod.deletionTimestamp}): not counted as capacity`,
    }));
}

function describeNames(names: readonly string[]): string {
  return names.length === 0 ? 'nothing' : names.join(', ');
}
