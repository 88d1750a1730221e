// docs/runbooks/scale-down-safely.md, run as written on the sandbox: plan, scale 3 → 2 --migrate
// under a probe through the Service, the PDB floor refusing 1, scale back to 3.
import { expect, it } from 'vitest';
import { describeRunbook } from '../../support/runbook.js';

describeRunbook('docs/runbooks/scale-down-safely.md', import.meta.url, (transcript) => {
  it('prints the plan of a dry run and changes nothing', () => {
    expect(transcript()).toContain('Plan (dry run): scale statefulset conduit from 3 to 2 (down)');
    expect(transcript()).toContain('dry run: would scale statefulset conduit from 3 to 2; nothing changed');
  });

  it('scales 3 → 2 only after conduit-2 drained to 0, its clients moved with a notice: probe PASS, 0 silent', () => {
    const t = transcript();
    expect(t).toMatch(/remove: conduit-2 \(\d+ connections\)/);
    expect(t).toContain('lock: Lease conduitctl-lock-sts-conduit held by');
    expect(t).toContain('statefulset conduit scaled from 3 to 2; conduit-2 removed after draining to 0');
    expect(t).toMatch(/instances before +conduit-0 \d+, conduit-1 \d+, conduit-2 \d+\n/);
    expect(t).toMatch(/instances after +conduit-0 \d+, conduit-1 \d+\n/);
    const closes = /closes +(\d+): (\d+) clean, silent 0/.exec(t);
    expect(closes, 'the probe saw conduit-2 clients closed').not.toBeNull();
    expect(Number(closes![1])).toBeGreaterThan(0);
    expect(closes![2]).toBe(closes![1]);
    expect(t).toContain('PASS: 0 silent drops, 0 gaps');
    expect(t).toMatch(/2 instances: 2 ok, 0 draining, 0 unreachable/);
  });

  it('refuses to go below the PodDisruptionBudget with exit 3, then scales back up', () => {
    const t = transcript();
    expect(t).toContain('refused, nothing changed: PodDisruptionBudget conduit requires minAvailable 2');
    expect(t).toMatch(/^refused as expected: exit 3$/m);
    expect(t).toContain('scaled statefulset conduit from 2 to 3');
    expect(t).toContain('Stopped the sandbox');
  });
});
