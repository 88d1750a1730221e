// Load skew across a fleet: max/mean of the known connection counts. DESIGN.md §1 flags a fleet
// whose busiest instance carries more than 20% above the mean (Conduit's "within ~20%").

/** Default threshold: flag when max/mean exceeds 1.2. */
export const SKEW_THRESHOLD = 1.2;

export interface Skew {
  /** max/mean over the known counts; null when there are none or the mean is 0. */
  ratio: number | null;
  threshold: number;
  flagged: boolean;
}

/** Pure: pass only KNOWN counts (unknown is never zero, so it is left out, not added as 0). */
export function computeSkew(knownCounts: readonly number[], threshold: number = SKEW_THRESHOLD): Skew {
  if (knownCounts.length === 0) return { ratio: null, threshold, flagged: false };
  const mean = knownCounts.reduce((sum, n) => sum + n, 0) / knownCounts.length;
  if (mean === 0) return { ratio: null, threshold, flagged: false };
  const ratio = Math.max(...knownCounts) / mean;
  return { ratio, threshold, flagged: ratio > threshold };
}
