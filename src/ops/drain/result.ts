// What a drain returns: per-instance state and one outcome the command maps to an exit code.

import type { Count } from '../ports/index.js';

export type InstanceDrainState =
  /** Stable zero reached. */
  | 'drained'
  /** Still draining with a positive (or not yet stable) count. */
  | 'waiting'
  /** The latest count is unknown: not drained (rule 1). */
  | 'unknown'
  /** The gateway restarted during the drain: its connections were dropped. */
  | 'restarted'
  /** /health stopped saying draining (an unnoticed restart, or an undrain by someone else). */
  | 'stopped-draining'
  /** /health never said draining. */
  | 'not-draining'
  /** The instance disappeared (NotFound). */
  | 'gone';

export interface InstanceDrainResult {
  name: string;
  state: InstanceDrainState;
  lastCount: Count;
  /** This run sent the drain request (so an interrupt undrains it). */
  drainedByThisRun: boolean;
  /** This run undrained it again (interrupt or failure). */
  undrained: boolean;
  /** Set when connections were (or may have been) dropped: how many were last known (null: unknown). */
  droppedConnections?: number | null;
  detail?: string;
}

export type DrainOutcome =
  /** Every instance at a stable zero (or gone after a known 0). Exit 0. */
  | 'drained'
  /** The deadline passed; instances stay draining. Exit 4. */
  | 'timeout'
  /** Aborted (SIGINT/SIGTERM). Exit 130. */
  | 'interrupted'
  /** A drain was never confirmed by /health; this run's drains were undone. Exit 3. */
  | 'not-confirmed'
  /** A gateway restarted, stopped draining or vanished holding connections: they may have been dropped. Exit 1. */
  | 'restarted';

export interface DrainResult {
  outcome: DrainOutcome;
  instances: InstanceDrainResult[];
  elapsedMs: number;
}
