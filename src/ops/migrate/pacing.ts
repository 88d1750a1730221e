// How fast clients are sent away: a batch size and the time between batch starts. `--rate N/s`
// alone becomes ten batches a second; `--batch-size` + `--interval` are taken as given.

/** Clients per second when no pacing flag is given. */
export const DEFAULT_RATE_PER_SECOND = 200;
const BATCHES_PER_SECOND_FOR_A_RATE = 10;

export interface PacingRequest {
  ratePerSecond?: number;
  batchSize?: number;
  intervalMs?: number;
}

export interface Pacing {
  batchSize: number;
  intervalMs: number;
  /** batchSize per intervalMs, in clients per second. */
  ratePerSecond: number;
}

export function pacingOf(request: PacingRequest): Pacing {
  const { ratePerSecond, batchSize, intervalMs } = request;
  if (ratePerSecond !== undefined && batchSize !== undefined && intervalMs !== undefined) {
    throw new RangeError('give a rate, or a batch size and an interval, not all three');
  }
  for (const [name, value] of Object.entries(request)) {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
  if (batchSize !== undefined && !Number.isSafeInteger(batchSize)) throw new RangeError(`batchSize must be a whole number, got ${batchSize}`);
  if (batchSize !== undefined && intervalMs !== undefined) return paced(batchSize, intervalMs);
  const rate = ratePerSecond ?? (batchSize !== undefined || intervalMs !== undefined ? undefined : DEFAULT_RATE_PER_SECOND);
  if (rate !== undefined && batchSize !== undefined) return paced(batchSize, (batchSize * 1000) / rate);
  if (rate !== undefined && intervalMs !== undefined) return paced(Math.max(1, Math.round((rate * intervalMs) / 1000)), intervalMs);
  if (rate !== undefined) {
    const size = Math.max(1, Math.ceil(rate / BATCHES_PER_SECOND_FOR_A_RATE));
    return paced(size, (size * 1000) / rate);
  }
  // Only one of batchSize / intervalMs: the other follows the default rate.
  if (batchSize !== undefined) return paced(batchSize, (batchSize * 1000) / DEFAULT_RATE_PER_SECOND);
  return paced(Math.max(1, Math.round((DEFAULT_RATE_PER_SECOND * intervalMs!) / 1000)), intervalMs!);
}

function paced(batchSize: number, intervalMs: number): Pacing {
  return { batchSize, intervalMs, ratePerSecond: (batchSize * 1000) / intervalMs };
}
