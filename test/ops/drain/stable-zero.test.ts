import { describe, expect, it } from 'vitest';
import { isStableZero, nextZeroStreak } from '../../../src/ops/drain/stable-zero.js';
import type { Count } from '../../../src/ops/ports/index.js';

const zero: Count = { known: true, value: 0 };
const three: Count = { known: true, value: 3 };
const unknown: Count = { known: false, reason: 'timed out' };
const rule = { stableZeroPolls: 3, minDrainMs: 10_000 };

function streaks(counts: Count[]): number[] {
  let streak = 0;
  return counts.map((count) => (streak = nextZeroStreak(streak, count)));
}

describe('the stable-zero rule', () => {
  it('counts consecutive known zeros', () => {
    expect(streaks([zero, zero, zero])).toEqual([1, 2, 3]);
  });

  it('resets on an unknown count: unknown is never zero', () => {
    expect(streaks([zero, zero, unknown, zero])).toEqual([1, 2, 0, 1]);
  });

  it('resets on a non-zero count (flapping 0 → 3 → 0)', () => {
    expect(streaks([zero, three, zero, zero, zero])).toEqual([1, 0, 1, 2, 3]);
  });

  it('needs both the streak and the minimum drain time', () => {
    expect(isStableZero(3, 9_999, rule)).toBe(false);
    expect(isStableZero(2, 60_000, rule)).toBe(false);
    expect(isStableZero(3, 10_000, rule)).toBe(true);
  });
});
