import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../src/probe/pool/token-bucket.js';

describe('TokenBucket', () => {
  it('grants the rate and no more, up to its burst', () => {
    let now = 0;
    const bucket = new TokenBucket(500, 50, () => now);
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    expect(bucket.waitMs()).toBe(2);
    now += 100;
    let granted = 0;
    while (bucket.take()) granted += 1;
    expect(granted).toBe(50);
    now += 10_000;
    granted = 0;
    while (bucket.take()) granted += 1;
    expect(granted).toBe(50);
  });
});
