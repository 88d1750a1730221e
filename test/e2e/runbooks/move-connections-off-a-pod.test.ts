// docs/runbooks/move-connections-off-a-pod.md, run as written on the sandbox: 40 probe clients on
// conduit-2, migrate 10 to conduit-0, a refusal for lack of room, migrate the rest.
import { expect, it } from 'vitest';
import { describeRunbook } from '../../support/runbook.js';

describeRunbook('docs/runbooks/move-connections-off-a-pod.md', import.meta.url, (transcript) => {
  it('starts with the 40 stand-in clients on conduit-2, flagged uneven', () => {
    expect(transcript()).toMatch(/conduit-2 +true +ok +40 /);
    expect(transcript()).toContain('40 connections · skew 3.00 (above 1.2: uneven)');
  });

  it('plans, then moves exactly 10 to conduit-0', () => {
    const t = transcript();
    expect(t).toContain('Plan: move 10 of 40 connections from conduit-2 to conduit-0 (0)');
    expect(t).toContain('dry run: would move 10 from conduit-2 in 1 batch; nothing moved');
    expect(t).toMatch(/moved 10 \(the --count asked for\); 10 moved, 30 left on conduit-2/);
  });

  it('refuses with exit 3 when the receivers have no room, moving nobody', () => {
    expect(transcript()).toMatch(/nothing moved: the receivers have room for \d+ more connections \(conduit-0 \d+\/10, conduit-1 \d+\/10\), 30 to move/);
    expect(transcript()).toMatch(/^refused as expected: exit 3$/m);
  });

  it('moves the other 30; the probe saw 40 announced closes and PASS', () => {
    const t = transcript();
    expect(t).toMatch(/conduit-2 has no open connection left to move; 30 moved, 0 left on conduit-2/);
    expect(t).toMatch(/closes +40: 40 clean, silent 0/);
    expect(t).toMatch(/by code +1012 40/);
    expect(t).toMatch(/instances after +conduit-0 \d+, conduit-1 \d+\n/);
    expect(t).toContain('PASS: 0 silent drops, 0 gaps');
    expect(t).not.toMatch(/^the probe says FAIL/m);
    // Once landed, conduit-0 and conduit-1 hold all 40 between them and conduit-2 none.
    expect(t).toMatch(/conduit-2 +true +ok +0 [\s\S]*· 40 connections/);
    expect(t).toContain('Stopped the sandbox');
  });
});
