import { describe, expect, it } from 'vitest';
import { etaMs, LeaveRate, RATE_WINDOW_MS } from '../../../src/ops/drain/progress.js';

describe('LeaveRate', () => {
  it('is unknown until two samples are apart in time', () => {
    const rate = new LeaveRate();
    expect(rate.add(0, 1_000)).toBeNull();
    expect(rate.add(0, 900)).toBeNull();
  });

  it('is connections leaving per second', () => {
    const rate = new LeaveRate();
    rate.add(0, 1_000);
    expect(rate.add(2_000, 800)).toBe(100);
  });

  it('is negative when connections arrive', () => {
    const rate = new LeaveRate();
    rate.add(0, 100);
    expect(rate.add(1_000, 150)).toBe(-50);
  });

  it('only looks at the last window', () => {
    const rate = new LeaveRate();
    rate.add(0, 10_000); // a fast start, then 10/s
    rate.add(1_000, 1_000);
    let last: number | null = null;
    for (let t = 2_000; t <= 1_000 + RATE_WINDOW_MS + 1_000; t += 1_000) last = rate.add(t, 1_000 - ((t - 1_000) / 1_000) * 10);
    expect(last).toBe(10);
  });
});

describe('etaMs', () => {
  it('is remaining / rate', () => {
    expect(etaMs(500, 100)).toBe(5_000);
  });

  it('is null when nothing is leaving', () => {
    expect(etaMs(500, 0)).toBeNull();
    expect(etaMs(500, -3)).toBeNull();
    expect(etaMs(500, null)).toBeNull();
  });
});
