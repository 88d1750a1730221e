import type { Count } from '../ports/index.js';
import type { PauseReason } from './events.js';
import type { MigrationPlan } from './plan.js';

export interface BatchReport {
  index: number;
  batchId: string;
  /** ms since the migration started. */
  atMs: number;
  requested: number;
  migrated: number;
  /** Receiver name → clients sent there (behind a load balancer: where they were expected to land). */
  shares: Record<string, number>;
  /** The distinct URLs clients of this batch were told to reconnect to. */
  targets: string[];
  /** POSTs it took (> 1: a retry with the same batch id). */
  attempts: number;
  /** The source's open connections not told to migrate, as the gateway answered. */
  remaining: Count;
}

export type MigrationOutcome =
  | 'completed' //      the source is empty (or --count reached)
  | 'nothing-to-move'
  | 'planned' //        dry run: the plan only
  | 'refused' //        the plan was refused: nothing moved
  | 'interrupted' //    Ctrl-C between batches
  | 'timeout' //        paused past the deadline
  | 'failed'; //        a batch could not be sent; what moved is in the report

export interface MigrationResult {
  outcome: MigrationOutcome;
  message: string;
  source: string;
  plan: MigrationPlan;
  batches: BatchReport[];
  moved: number;
  /** The source's open connections at the end (unknown when the last read failed). */
  left: Count;
  pauses: Array<{ reason: PauseReason; ms: number }>;
  elapsedMs: number;
}
