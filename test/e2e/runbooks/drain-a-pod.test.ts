// docs/runbooks/drain-a-pod.md, run as written on the sandbox: drain conduit-2 under a probe
// (--migrate through the Service), check, undrain, then drain again with --then evict.
import { expect, it } from 'vitest';
import { describeRunbook } from '../../support/runbook.js';

describeRunbook('docs/runbooks/drain-a-pod.md', import.meta.url, (transcript) => {
  it('drains conduit-2 under the probe: 30 clients moved with a notice, PASS, 0 silent', () => {
    const t = transcript();
    expect(t).toContain('Plan: move 30 of 30 connections from conduit-2');
    expect(t).toContain('conduit-2: out of rotation');
    expect(t).toContain('drained conduit-2');
    expect(t).toMatch(/closes +30: 30 clean, silent 0/);
    expect(t).toMatch(/by code +1012 30/);
    expect(t).toMatch(/instances before +conduit-2 30\n/);
    expect(t).toMatch(/instances after +conduit-0 \d+, conduit-1 \d+\n/);
    expect(t).toContain('PASS: 0 silent drops, 0 gaps');
  });

  it('shows conduit-2 drained, empty and not ready in the EndpointSlice, then serving again after undrain', () => {
    const t = transcript();
    expect(t).toMatch(/conduit-2 +false +draining +0 /);
    expect(t).toContain('conduit-2 ready=false');
    expect(t).toContain('conduit-2: serving again (/health ok)');
  });

  it('--then evict removes it through the Eviction API and the StatefulSet re-creates it', () => {
    const t = transcript();
    expect(t).toContain('conduit-2: evicted');
    expect(t).toContain('drained and removed conduit-2');
    expect(t).toMatch(/3 instances: 3 ok, 0 draining, 0 unreachable/);
    expect(t).toContain('Stopped the sandbox');
  });
});
