// Step 5 of a drain: after each round (every instance still polling has polled once since the
// last report) emit what is left, how fast it is leaving and when it should be done.

import type { Clock } from '../ports/index.js';
import type { DrainEvent } from './events.js';
import type { InstanceTracker } from './tracker.js';

export const RATE_WINDOW_MS = 10_000;

interface Sample {
  at: number;
  total: number;
}

/** Connections leaving per second over a sliding window of (time, total) samples. */
export class LeaveRate {
  private samples: Sample[] = [];

  constructor(private readonly windowMs = RATE_WINDOW_MS) {}

  /** Add a sample and return the rate over the window (null until two samples apart in time). */
  add(at: number, total: number): number | null {
    this.samples.push({ at, total });
    this.samples = this.samples.filter((s) => s.at >= at - this.windowMs);
    const first = this.samples[0]!;
    if (at <= first.at) return null;
    return ((first.total - total) * 1_000) / (at - first.at);
  }
}

export function etaMs(remaining: number, ratePerSec: number | null): number | null {
  if (ratePerSec === null || ratePerSec <= 0) return null;
  return Math.round((remaining / ratePerSec) * 1_000);
}

export class DrainProgress {
  private readonly polledThisRound = new Set<InstanceTracker>();
  private readonly rate = new LeaveRate();

  constructor(
    private readonly trackers: readonly InstanceTracker[],
    private readonly clock: Clock,
    private readonly startedAt: number,
    private readonly emit: (event: DrainEvent) => void,
  ) {}

  polled(t: InstanceTracker): void {
    this.polledThisRound.add(t);
    const polling = this.trackers.filter((x) => x.phase === 'waiting');
    if (polling.every((x) => this.polledThisRound.has(x))) {
      this.polledThisRound.clear();
      this.emit(this.report());
    }
  }

  private report(): Extract<DrainEvent, { type: 'progress' }> {
    const now = this.clock.now();
    const open = this.trackers.filter((t) => t.phase !== 'done');
    const remaining = open.reduce((sum, t) => sum + (t.lastCount.known ? t.lastCount.value : 0), 0);
    // The rate uses each open instance's last KNOWN count, so a count that turns unknown does not
    // look like connections leaving.
    const ratePerSec = this.rate.add(now, open.reduce((sum, t) => sum + (t.lastKnownCount ?? 0), 0));
    return {
      type: 'progress',
      remaining,
      unknown: open.filter((t) => !t.lastCount.known).map((t) => t.instance.name),
      drained: this.trackers.filter((t) => t.state === 'drained').map((t) => t.instance.name),
      ratePerSec,
      etaMs: etaMs(remaining, ratePerSec),
      elapsedMs: now - this.startedAt,
    };
  }
}
