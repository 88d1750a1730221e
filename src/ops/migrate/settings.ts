import type { Pacing } from './pacing.js';
import type { ReconnectWindow } from './reconnect-window.js';

export interface MigrationSettings {
  pacing: Pacing;
  window: ReconnectWindow;
  /** Move at most this many (--count); default: until the source is empty. */
  limit?: number;
  /** The whole migration's deadline (pauses included). */
  timeoutMs: number;
  /** A receiver at or above this fraction of its limit halves the batch (default 0.9). */
  nearCapacity?: number;
  /** POSTs per batch when the request dies on the way (same batch id each time; default 4). */
  postAttempts?: number;
  /** How long past the reconnect window a moved client may take to show up at a receiver (default 2 s). */
  acceptGraceMs?: number;
}

export const DEFAULT_NEAR_CAPACITY = 0.9;
export const DEFAULT_POST_ATTEMPTS = 4;
export const DEFAULT_ACCEPT_GRACE_MS = 2_000;
