import type { SystemClock } from './clock.js';

/** A point on the monotonic clock after which a wait gives up. Infinity = no deadline. */
export class Deadline {
  private readonly at: number;

  constructor(
    private readonly clock: Pick<SystemClock, 'now'>,
    timeoutMs: number,
  ) {
    this.at = clock.now() + timeoutMs;
  }

  remaining(): number {
    return Math.max(0, this.at - this.clock.now());
  }

  expired(): boolean {
    return this.clock.now() >= this.at;
  }
}
