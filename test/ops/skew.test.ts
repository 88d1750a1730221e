import { describe, expect, it } from 'vitest';
import { computeSkew, SKEW_THRESHOLD } from '../../src/ops/skew.js';

describe('computeSkew', () => {
  it('is max/mean over the counts it is given', () => {
    expect(computeSkew([10, 20, 30])).toEqual({ ratio: 1.5, threshold: SKEW_THRESHOLD, flagged: true });
  });

  it('is null (and not flagged) with no counts or a zero mean', () => {
    expect(computeSkew([])).toEqual({ ratio: null, threshold: 1.2, flagged: false });
    expect(computeSkew([0, 0, 0])).toEqual({ ratio: null, threshold: 1.2, flagged: false });
  });

  it('flags only strictly above the threshold', () => {
    // mean 100, max 120 → exactly 1.2: within ~20%
    expect(computeSkew([80, 100, 120, 100])).toMatchObject({ ratio: 1.2, flagged: false });
    expect(computeSkew([79, 100, 121, 100]).flagged).toBe(true);
  });

  it('takes another threshold (rebalance --tolerance)', () => {
    expect(computeSkew([10, 20, 30], 1.6)).toEqual({ ratio: 1.5, threshold: 1.6, flagged: false });
  });
});
