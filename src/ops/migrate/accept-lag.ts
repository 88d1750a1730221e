// Are the receivers keeping up? A moved client reconnects within the window, so at any moment the
// clients "in flight" (moved but not yet seen at a receiver) should be no more than those moved
// during the last window (+ grace). More than that, and the receivers are not accepting them.

export interface SentBatch {
  atMs: number;
  migrated: number;
  /** Clients sent to each receiver by name (direct sends only). */
  shares?: Readonly<Record<string, number>>;
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

/**
 * Clients sent to `receiver` that it has not counted yet and may still get: sent − arrived, but no
 * more than it was sent within the last window + grace (older ones are not coming). Added to its
 * count before the next batch is split, so its room is not given away twice while they reconnect.
 */
export function inFlightTo(receiver: string, input: { sent: readonly SentBatch[]; nowMs: number; arrived: number; windowMaxMs: number; graceMs: number }): number {
  let sent = 0;
  let recent = 0;
  for (const batch of input.sent) {
    const share = batch.shares?.[receiver] ?? 0;
    sent += share;
    if (batch.atMs > input.nowMs - input.windowMaxMs - input.graceMs) recent += share;
  }
  return Math.min(recent, Math.max(0, sent - input.arrived));
}
