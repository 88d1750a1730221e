// Every delay of a drain is a field (as in kubectl's pkg/drain Helper), so commands map flags
// onto them and tests run on a fake clock. The defaults are RELIABILITY.md rules 2–4.

export interface DrainSettings {
  /** Overall deadline. Infinity = explicitly forever (rule 4). */
  timeoutMs: number;
  /** Time between the end of one poll and the start of the next (rule 4: 1–2 s, no overlap). */
  pollIntervalMs: number;
  /** Minimum time since the instance was seen draining before a zero can count (rule 2). */
  minDrainMs: number;
  /** Consecutive polls of a KNOWN 0 needed (rule 2). */
  stableZeroPolls: number;
  /** How long /health may take to say `draining` after the request (rule 3). */
  confirmTimeoutMs: number;
  /** On interrupt, leave the instances this run drained draining (rule 8, --keep-draining). */
  keepDraining: boolean;
  /** How long the undrain calls after an interrupt or failure may take in total (default 5 s). */
  undrainTimeoutMs?: number;
}

export const DEFAULT_UNDRAIN_TIMEOUT_MS = 5_000;

export const defaultDrainSettings: DrainSettings = {
  timeoutMs: 5 * 60_000,
  pollIntervalMs: 1_000,
  minDrainMs: 10_000,
  stableZeroPolls: 3,
  confirmTimeoutMs: 10_000,
  keepDraining: false,
  undrainTimeoutMs: DEFAULT_UNDRAIN_TIMEOUT_MS,
};

/** Throws RangeError for settings no drain could honour (commands validate flags before this). */
export function checkDrainSettings(s: DrainSettings): void {
  const positive = (name: string, value: number, allowInfinity = false) => {
    if (!(value > 0) || (!allowInfinity && !Number.isFinite(value))) {
      throw new RangeError(`drain setting ${name} must be a positive${allowInfinity ? '' : ' finite'} number, got ${value}`);
    }
  };
  positive('timeoutMs', s.timeoutMs, true);
  positive('pollIntervalMs', s.pollIntervalMs);
  positive('confirmTimeoutMs', s.confirmTimeoutMs);
  positive('undrainTimeoutMs', s.undrainTimeoutMs ?? DEFAULT_UNDRAIN_TIMEOUT_MS);
  if (!(s.minDrainMs >= 0) || !Number.isFinite(s.minDrainMs)) throw new RangeError(`drain setting minDrainMs must be ≥ 0, got ${s.minDrainMs}`);
  if (!Number.isInteger(s.stableZeroPolls) || s.stableZeroPolls < 1) {
    throw new RangeError(`drain setting stableZeroPolls must be a positive integer, got ${s.stableZeroPolls}`);
  }
}
