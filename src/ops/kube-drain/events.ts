// What a Kubernetes drain reports: the gateway drain's own events, then the Kubernetes steps.

import type { DrainEvent } from '../drain/index.js';
import type { EndpointReadiness } from '../ports/index.js';

export type KubeDrainEvent =
  | { type: 'drain'; event: DrainEvent }
  | { type: 'already-terminating'; instance: string; graceEndsAt: string }
  /** The EndpointSlice stopped showing the pod ready, or the bound passed while it still did. */
  | { type: 'endpoint'; instance: string; readiness: EndpointReadiness; waitedMs: number; settled: boolean }
  | { type: 'evict-attempt'; instance: string; attempt: number }
  /** 429 with a DisruptionBudget cause: printed every time with the PDB and its numbers. */
  | { type: 'evict-blocked'; instance: string; pdb?: string; healthy?: number; needed?: number; message: string; retryInMs: number }
  /** 429 without a PDB cause (API throttling, or "still being processed"): not a PDB denial. */
  | { type: 'evict-throttled'; instance: string; message: string; retryInMs: number }
  | { type: 'evicted'; instance: string }
  | { type: 'deleted'; instance: string }
  | { type: 'gone'; instance: string; how: 'not-found' | 'replaced' };

export type KubeDrainEventHandler = (event: KubeDrainEvent) => void;
