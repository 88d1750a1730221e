import type { Count } from '../ports/index.js';
import type { MigrationPlan } from './plan.js';
import type { BatchReport } from './result.js';

export type PauseReason = 'no-receiver' | 'receivers-full' | 'receivers-lag' | 'source-count-unknown';

export type MigrationEvent =
  /** The whole plan, before anything moves. */
  | { type: 'plan'; plan: MigrationPlan }
  | { type: 'batch'; batch: BatchReport; moved: number; left: Count; toMove: number }
  /** A POST died on the way; it is sent again with the same batch id. */
  | { type: 'retry'; batchId: string; attempt: number; reason: string; retryInMs: number }
  | { type: 'slowed'; reason: string; batchSize: number }
  | { type: 'paused'; reason: PauseReason; detail: string }
  | { type: 'resumed'; pausedMs: number };

export type MigrationEventHandler = (event: MigrationEvent) => void;
