// What a drain reports while it runs. Commands turn these into spinner text and log lines, the
// way kubectl's drain command turns its Helper's callbacks into printed lines.

import type { Count } from '../ports/index.js';

export type DrainEvent =
  /** The drain request was sent, or skipped because /health already said draining. */
  | { type: 'drain-requested'; instance: string; alreadyDraining: boolean }
  /** /health says draining (rule 3: accepted is not done). */
  | { type: 'draining-confirmed'; instance: string }
  /** One count poll of one instance. */
  | { type: 'poll'; instance: string; count: Count; zeroStreak: number; sinceDrainingMs: number }
  /** After each round (every instance still waiting polled once). */
  | {
      type: 'progress';
      /** Sum of the known counts over the instances not yet drained. */
      remaining: number;
      /** Instances whose latest count is unknown. */
      unknown: string[];
      drained: string[];
      /** Connections leaving per second over the last ~10 s; null until two rounds are seen. */
      ratePerSec: number | null;
      /** remaining / rate; null when the rate is unknown or ≤ 0. */
      etaMs: number | null;
      elapsedMs: number;
    }
  /** The instance reached a stable zero (rule 2). */
  | { type: 'stable-zero'; instance: string }
  /** The gateway restarted (new uid or more restarts): its connections were dropped. */
  | { type: 'restart-detected'; instance: string; droppedConnections: number | null }
  /** /health stopped saying draining with no other sign of a restart; the drain is re-asserted. */
  | { type: 'draining-lost'; instance: string; connectionsAtRisk: number | null }
  | { type: 'undrained'; instance: string }
  | { type: 'undrain-failed'; instance: string; reason: string };

export type DrainEventHandler = (event: DrainEvent) => void;
