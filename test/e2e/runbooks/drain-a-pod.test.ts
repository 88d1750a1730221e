// docs/runbooks/drain-a-pod.md, run as written on the sandbox: drain conduit-2 under a probe
// (--migrate through the Service), check, undrain, then drain again with --then evict.
import { afterAll, describe, expect, it } from 'vitest';
import { runbook, type RunbookResult } from '../../support/runbook.js';

const book = runbook('docs/runbooks/drain-a-pod.md', import.meta.url);

describe(book.path, () => {
  let result: RunbookResult;
  afterAll(() => book.cleanup(), 60_000);

  it('runs every sh block in order and exits 0', async () => {
    result = await book.run(110_000);
    expect(result.code, result.transcript).toBe(0);
  }, 120_000);

  it('drains conduit-2 under the probe: 30 clients moved with a notice, PASS, 0 silent', () => {
    const t = result.transcript;
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
    const t = result.transcript;
    expect(t).toMatch(/conduit-2 +false +draining +0 /);
    expect(t).toContain('conduit-2 ready=false');
    expect(t).toContain('conduit-2: serving again (/health ok)');
  });

  it('--then evict removes it through the Eviction API and the StatefulSet re-creates it', () => {
    const t = result.transcript;
    expect(t).toContain('conduit-2: evicted');
    expect(t).toContain('drained and removed conduit-2');
    expect(t).toMatch(/3 instances: 3 ok, 0 draining, 0 unreachable/);
    expect(t).toContain('Stopped the sandbox');
  });
});
