// RELIABILITY rule 2, "zero means stable zero", as pure functions. Late connections still arrive
// while endpoints propagate, so one zero proves nothing: it takes `stableZeroPolls` consecutive
// KNOWN zeros and `minDrainMs` since the instance was seen draining. Unknown is never zero (rule 1).

import type { Count } from '../ports/index.js';
import type { DrainSettings } from './settings.js';

/** The streak after one more poll: a known 0 extends it, anything else (unknown, > 0) resets it. */
export function nextZeroStreak(streak: number, count: Count): number {
  return count.known && count.value === 0 ? streak + 1 : 0;
}

export function isStableZero(
  zeroStreak: number,
  sinceDrainingMs: number,
  settings: Pick<DrainSettings, 'stableZeroPolls' | 'minDrainMs'>,
): boolean {
  return zeroStreak >= settings.stableZeroPolls && sinceDrainingMs >= settings.minDrainMs;
}
