// The one wait loop of ops/: look, decide, sleep, until a verdict or the deadline. A failed read
// leaves the state unknown — never "done" — and the next look backs off (capped at 10 intervals,
// full jitter) so a struggling API server is not hammered; a good read resets the back-off.
// Aborts are never swallowed. Every sleep ends at the deadline.

import { backoffDelay } from '../../util/backoff.js';
import type { Deadline } from '../../util/deadline.js';
import { isAbortError } from '../../util/abort.js';
import type { Clock } from '../ports/index.js';

export interface PollOptions<T> {
  clock: Clock;
  deadline: Deadline;
  signal: AbortSignal;
  intervalMs: number;
  /** Jitter source of the back-off (tests pass a fixed one). */
  random?: () => number;
  /** One look at the world: a value ends the wait, undefined looks again. A throw is a failed read. */
  look(): Promise<T | undefined>;
  /** A read failed (state unknown); the loop goes on. */
  onReadFailed?(reason: string): void;
  /** After each look, failed or not: a verdict that needs no read (e.g. "stalled"), or undefined. */
  judge?(): T | undefined;
  /** Just before each sleep (progress reporting). */
  onWait?(): void;
}

export type PollResult<T> =
  | { kind: 'done'; value: T }
  /** The deadline came first; `unknown` is set when the last read failed. */
  | { kind: 'deadline'; unknown?: string };

export async function pollUntilDeadline<T>(o: PollOptions<T>): Promise<PollResult<T>> {
  let failedReads = 0;
  let lastFailure: string | undefined;
  for (;;) {
    try {
      const value = await o.look();
      if (value !== undefined) return { kind: 'done', value };
      failedReads = 0;
      lastFailure = undefined;
    } catch (error) {
      if (isAbortError(error) || o.signal.aborted) throw error;
      failedReads++;
      lastFailure = error instanceof Error ? error.message : String(error);
      o.onReadFailed?.(lastFailure);
    }
    const verdict = o.judge?.();
    if (verdict !== undefined) return { kind: 'done', value: verdict };
    if (o.deadline.expired()) return { kind: 'deadline', ...(lastFailure !== undefined ? { unknown: lastFailure } : {}) };
    o.onWait?.();
    const delay = failedReads ? backoffDelay(failedReads - 1, o.intervalMs, 10 * o.intervalMs, o.random) : o.intervalMs;
    await o.clock.sleep(Math.min(delay, o.deadline.remaining()), o.signal);
  }
}
