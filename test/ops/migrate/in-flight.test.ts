import { describe, expect, it } from 'vitest';
import { inFlightTo } from '../../../src/ops/migrate/accept-lag.js';

const sent = [
  { atMs: 0, migrated: 20, shares: { a: 15, b: 5 } },
  { atMs: 1_000, migrated: 20, shares: { a: 10, b: 10 } },
];
const at = (nowMs: number, arrived: number) => ({ sent, nowMs, arrived, windowMaxMs: 500, graceMs: 1_000 });

describe('inFlightTo', () => {
  it('is what was sent to the receiver minus what it has counted since', () => {
    expect(inFlightTo('a', at(1_100, 5))).toBe(20); // 25 sent, 5 arrived
    expect(inFlightTo('a', at(1_100, 20))).toBe(5);
    expect(inFlightTo('b', at(1_100, 15))).toBe(0);
  });

  it('gives up on clients sent longer than a window + grace ago: they are not coming, their room is free again', () => {
    expect(inFlightTo('a', at(1_600, 0))).toBe(10); // the first batch is 1.6 s old: only the second's 10 may still come
    expect(inFlightTo('a', at(2_600, 0))).toBe(0);
  });

  it('counts nothing for a receiver never sent to, or for sends through a load balancer (no shares)', () => {
    expect(inFlightTo('c', at(1_100, 0))).toBe(0);
    expect(inFlightTo('a', { ...at(100, 0), sent: [{ atMs: 0, migrated: 20 }] })).toBe(0);
  });
});
