// One operator at a time per workload (RELIABILITY rule 7): a Lease named by workloadLockName,
// taken by takeLock, renewed while the operation runs and released at the end.
export { workloadLockName, type LockedWorkloadKind } from './lease-name.js';
export { takeLock, type HeldLock, type LockOptions } from './lock.js';
