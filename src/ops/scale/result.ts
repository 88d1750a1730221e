// What a scale returns: the plan, where it left things, and one outcome the command maps to an
// exit code. Every non-ok outcome carries a message that says what is left.

import type { DrainResult } from '../drain/index.js';
import type { Count, FleetDescription } from '../ports/index.js';
import type { ScalePlan } from './plan-types.js';

export type ScaleOutcome =
  /** Written and every victim gone (down) or every new pod Ready (up). Exit 0. */
  | 'scaled'
  /** Already at the requested size. Exit 0. */
  | 'unchanged'
  /** --dry-run: the plan only. Exit 0. */
  | 'planned'
  /** The request is invalid. Exit 2. */
  | 'usage'
  /** A preflight check, the lease or an unconfirmed drain said no. Exit 3. */
  | 'refused'
  /** The deadline passed; or a victim was not at a known 0 just before the write. Exit 4. */
  | 'timeout'
  /** The scale-down stopped making progress behind an unready lower ordinal. Exit 4. */
  | 'stalled'
  /** spec.replicas changed under us, or 409 more than maxWriteAttempts times. Exit 5. */
  | 'conflict'
  /** A victim restarted mid-drain: its connections were dropped. Exit 1. */
  | 'restarted'
  /** SIGINT/SIGTERM. Exit 130. */
  | 'interrupted';

export type VictimState =
  /** Stable zero, still there (the write did not happen). */
  | 'drained'
  | 'draining'
  /** Undrained again after an interrupt or failure. */
  | 'undrained'
  /** Never asked to drain (the run stopped first, or it was already terminating). */
  | 'untouched'
  /** After the write: deleted by the controller and not yet gone. */
  | 'terminating'
  | 'removed';

export interface VictimReport {
  name: string;
  state: VictimState;
  connections: Count;
  detail?: string;
}

export interface ScaleResult {
  outcome: ScaleOutcome;
  /** One line: what happened and what is left. */
  message: string;
  /** What to do next, for failed outcomes. */
  hint?: string;
  fleet: FleetDescription;
  plan: ScalePlan;
  /** spec.replicas was written to plan.requested. */
  written: boolean;
  writeAttempts: number;
  /** spec.replicas as last read (null when it could not be read). */
  replicasNow: number | null;
  victims: VictimReport[];
  lease?: { name: string; holder: string };
  drain?: DrainResult;
  elapsedMs: number;
}
