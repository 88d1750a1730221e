// A deterministic Clock for ops/ tests: time moves only when the test moves it. `sleep` resolves
// when the clock is advanced past its wake time and rejects with the signal's reason on abort,
// exactly as util/clock's systemClock does. No real timers are involved: between wake-ups the
// clock only lets pending promise callbacks run (one setImmediate turn).
//
//   const clock = new FakeClock();
//   const result = await clock.runUntilSettled(drainInstances({ clock, ... }));
//
// or step by step: `await clock.advance(1_000)` then assert on what happened in that second.

import type { Clock } from '../../../src/ops/ports/index.js';

interface Sleeper {
  wakeAt: number;
  seq: number;
  resolve: () => void;
  detach: () => void;
}

export interface FakeClockOptions {
  /** Monotonic start (default 0). */
  startMs?: number;
  /** Wall clock at start (default 2026-01-01T00:00:00Z). */
  wallStartMs?: number;
}

export class FakeClock implements Clock {
  private time: number;
  private readonly wallOffset: number;
  private sleepers: Sleeper[] = [];
  private seq = 0;
  /** Every sleep requested, in order: [requestedAt, ms]. Handy to assert poll spacing. */
  readonly sleepLog: Array<{ at: number; ms: number }> = [];

  constructor(options: FakeClockOptions = {}) {
    this.time = options.startMs ?? 0;
    this.wallOffset = (options.wallStartMs ?? Date.UTC(2026, 0, 1)) - this.time;
  }

  now(): number {
    return this.time;
  }

  wallNow(): number {
    return this.time + this.wallOffset;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleepLog.push({ at: this.time, ms });
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!(ms > 0)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal!.reason);
      };
      const sleeper: Sleeper = {
        wakeAt: this.time + ms,
        seq: this.seq++,
        resolve,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /** Sleeps not yet woken (aborted ones are removed). */
  get pendingSleeps(): number {
    return this.sleepers.length;
  }

  /** When the next sleeper wakes, or undefined when nobody sleeps. */
  nextWakeAt(): number | undefined {
    return this.earliest()?.wakeAt;
  }

  /** Let every pending promise callback run (no time passes). */
  async flush(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /**
   * Move time forward by ms, waking sleepers in order of wake time (ties: order of sleep calls)
   * and letting the woken code run before the next one wakes, as real timers would.
   */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await this.flush();
    for (let next = this.earliest(); next && next.wakeAt <= target; next = this.earliest()) {
      this.wake(next);
      await this.flush();
    }
    this.time = target;
    await this.flush();
  }

  /**
   * Drive the clock until `promise` settles: jump to each next wake time in turn. Throws when the
   * promise is still pending with nobody sleeping (it waits on something other than the clock),
   * or after `maxMs` of fake time (a loop that never ends).
   */
  async runUntilSettled<T>(promise: Promise<T>, maxMs = 7 * 24 * 3_600_000): Promise<T> {
    let settled = false;
    const observed = promise.then(
      (value) => {
        settled = true;
        return value;
      },
      (error: unknown) => {
        settled = true;
        throw error;
      },
    );
    observed.catch(() => undefined); // handled by our caller; not "unhandled" while we advance
    const limit = this.time + maxMs;
    await this.flush();
    while (!settled) {
      const next = this.earliest();
      if (!next) throw new Error(`FakeClock: promise still pending at ${this.time}ms and nothing is sleeping`);
      if (next.wakeAt > limit) throw new Error(`FakeClock: promise still pending after ${maxMs}ms of fake time`);
      this.wake(next);
      await this.flush();
    }
    return observed;
  }

  /** Wake the earliest sleeper (time jumps to its wake time); false when nothing sleeps. */
  advanceToNext(): boolean {
    const next = this.earliest();
    if (!next) return false;
    this.wake(next);
    return true;
  }

  private earliest(): Sleeper | undefined {
    let best: Sleeper | undefined;
    for (const s of this.sleepers) {
      if (!best || s.wakeAt < best.wakeAt || (s.wakeAt === best.wakeAt && s.seq < best.seq)) best = s;
    }
    return best;
  }

  private wake(sleeper: Sleeper): void {
    this.sleepers = this.sleepers.filter((s) => s !== sleeper);
    this.time = Math.max(this.time, sleeper.wakeAt);
    sleeper.detach();
    sleeper.resolve();
  }
}
