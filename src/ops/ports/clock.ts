// The Clock port: every wait in ops/ goes through it, so tests can use a fake one.

export interface Clock {
  /** Monotonic milliseconds (deadlines; never affected by wall-clock jumps). */
  now(): number;
  /** Wall-clock ms since the epoch (display only). */
  wallNow(): number;
  /** Resolves after ms, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
