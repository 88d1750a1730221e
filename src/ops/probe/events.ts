import type { ProbePoolSnapshot } from '../ports/index.js';

export type ProbePhase = 'connecting' | 'probing' | 'restarting' | 'rolling' | 'command' | 'settling' | 'closing';

/** Emitted once per sample (about every second): enough for one live progress line. */
export interface ProbeProgress {
  phase: ProbePhase;
  snapshot: ProbePoolSnapshot;
  /** A short account of the bound: the rollout's state, time left, the command running. */
  detail: string;
}
