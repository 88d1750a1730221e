// The one place a workload lock's Lease is named: the lock itself, the least-privilege Role
// (kube/access.ts) and the tests all ask this function.

export type LockedWorkloadKind = 'statefulset' | 'deployment';

const SHORT: Record<LockedWorkloadKind, string> = { statefulset: 'sts', deployment: 'deploy' };

/** `conduitctl-lock-sts-conduit`: the Role in docs/rbac.md grants leases on exactly this name. */
export function workloadLockName(kind: LockedWorkloadKind, name: string): string {
  return `conduitctl-lock-${SHORT[kind]}-${name}`;
}
