// Are the receivers keeping up? A moved client reconnects within the window, so at any moment the
// clients "in flight" (moved but not yet seen at a receiver) should be no more than those moved
// during the last window (+ grace). More than that, and the receivers are not accepting them.

export interface SentBatch {
  atMs: number;
  migrated: number;
}

export interface LagInput {
  sent: readonly SentBatch[];
  nowMs: number;
  /** Σ over receivers of (count now − count when the migration started), never negative per receiver. */
  arrived: number;
  windowMaxMs: number;
  graceMs: number;
  /** Slack of one batch, so rounding never pauses a healthy run. */
  batchSize: number;
}

export function inFlightBeyondWindow(input: LagInput): number {
  const moved = input.sent.reduce((sum, b) => sum + b.migrated, 0);
  const expectedInFlight = input.sent.filter((b) => b.atMs > input.nowMs - input.windowMaxMs - input.graceMs).reduce((sum, b) => sum + b.migrated, 0);
  return Math.max(0, moved - input.arrived - expectedInFlight - input.batchSize);
}
