// docs/runbooks/rebalance-after-a-scale-up.md, run as written on the sandbox: 60 probe clients
// through the Service on 2 pods, scale to 3, rebalance, skew back within tolerance.
import { expect, it } from 'vitest';
import { describeRunbook } from '../../support/runbook.js';

/** Every skew ratio `status` printed, in order. */
function skews(transcript: string): number[] {
  return [...transcript.matchAll(/· 60 connections · skew (\d+\.\d+)/g)].map((m) => Number(m[1]));
}

describeRunbook('docs/runbooks/rebalance-after-a-scale-up.md', import.meta.url, (transcript) => {
  it('after the scale-up the new pod is empty and the skew flagged', () => {
    const t = transcript();
    expect(t).toContain('scaled statefulset conduit from 2 to 3; every pod is Ready');
    expect(t).toMatch(/conduit-2 +true +ok +0 /);
    expect(t).toContain('60 connections · skew 1.50 (above 1.2: uneven)');
  });

  it('plans moves from the two old pods to the new one, then makes them', () => {
    const t = transcript();
    expect(t).toContain('Plan: mean 20.0 connections, busiest 50% above it (tolerance 20%)');
    expect(t).toContain('move 10 from conduit-0 to conduit-2 (10)');
    expect(t).toContain('move 10 from conduit-1 to conduit-2 (10)');
    expect(t).toContain('dry run: would move 10 from conduit-0, 10 from conduit-1; nothing moved');
    expect(t).toContain('moved 20 connections; projected skew 0% above the mean (tolerance 20%)');
  });

  it('leaves the fleet within tolerance; the probe saw 20 announced moves and PASS', () => {
    const t = transcript();
    const last = skews(t).at(-1);
    expect(last).toBeLessThanOrEqual(1.2);
    expect(t).toMatch(/closes +20: 20 clean, silent 0/);
    expect(t).toMatch(/instances after +conduit-0 \d+, conduit-1 \d+, conduit-2 \d+\n/);
    expect(t).toContain('PASS: 0 silent drops, 0 gaps');
    expect(t).not.toMatch(/^the probe says FAIL/m);
    expect(t).toContain('Stopped the sandbox');
  });
});
