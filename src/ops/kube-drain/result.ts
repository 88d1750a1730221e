import type { DrainResult } from '../drain/index.js';

export type KubeDrainOutcome =
  /** --then none: every pod at a stable zero. Exit 0. */
  | 'drained'
  /** --then evict|delete: every pod drained and gone. Exit 0. */
  | 'removed'
  /** A preflight check (last Ready pod, RBAC) or an unconfirmed drain said no; or eviction failed hard. Exit 3. */
  | 'refused'
  | 'timeout'
  | 'interrupted'
  /** A pod restarted mid-drain and dropped its connections. Exit 1. */
  | 'restarted';

export type PodRemoval = 'not-asked' | 'evicted' | 'deleted' | 'gone' | 'blocked' | 'failed' | 'terminating' | 'not-zero';

export interface PodRemovalReport {
  name: string;
  removal: PodRemoval;
  detail?: string;
}

export interface KubeDrainResult {
  outcome: KubeDrainOutcome;
  message: string;
  hint?: string;
  drain?: DrainResult;
  removals: PodRemovalReport[];
  elapsedMs: number;
}
