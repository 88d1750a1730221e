// Every delay of a scale is a field (kubectl's Helper), so flags map onto them and tests run on a
// fake clock. The drain of the victims reuses the drain settings (stable zero, min drain time).

import type { DrainSettings } from '../drain/index.js';

export interface ScaleSettings extends Omit<DrainSettings, 'timeoutMs' | 'keepDraining'> {
  /** The whole operation: drain, write, and watching the victims go (or new pods get Ready). */
  timeoutMs: number;
  /** Conditional writes answered 409 before giving up with exit 5 (RELIABILITY rule 5). */
  maxWriteAttempts: number;
  /** No victim went away for this long while a lower ordinal is unready → stalled (exit 4). */
  stallAfterMs: number;
  /** Lease duration; it is renewed every third of it while the scale runs. */
  leaseDurationSeconds: number;
}

export const defaultScaleSettings: ScaleSettings = {
  timeoutMs: 10 * 60_000,
  pollIntervalMs: 1_000,
  minDrainMs: 10_000,
  stableZeroPolls: 3,
  confirmTimeoutMs: 10_000,
  maxWriteAttempts: 5,
  stallAfterMs: 60_000,
  leaseDurationSeconds: 60,
};
