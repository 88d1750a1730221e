// docs/runbooks/prestop-drain-migrate.md, run as written on the sandbox: read the hook and its
// budget, run the hook by hand under a probe, undrain, then delete the pod under a probe.
import { expect, it } from 'vitest';
import { describeRunbook } from '../../support/runbook.js';

describeRunbook('docs/runbooks/prestop-drain-migrate.md', import.meta.url, (transcript) => {
  it('reads the grace period, the hook and the gateway deadlines the budget adds up', () => {
    const t = transcript();
    expect(t).toContain('grace=20s');
    expect(t).toMatch(/drain --local --local-url "http:\/\/\$POD_IP:9087" --timeout 5s .*--migrate --reconnect-url 'ws:\/\/[\d.]+:9088\/v1\/subscribe'/);
    expect(t).toContain('"--shutdown-deadline-ms","3000","--close-timeout-ms","2000"');
  });

  it('the hook run by hand waits for the pod to leave rotation and moves its clients with a notice; undrain puts it back', () => {
    const t = transcript();
    // Named as the gateway names itself (no $POD_NAME by hand), so the rotation check compares like with like.
    expect(t).toMatch(/conduit-1: out of rotation: 5 fresh upgrades through ws:\/\/[\d.]+:9088\/v1\/subscribe landed on conduit-[02], none on conduit-1 \(all on one instance: behind client-IP affinity/);
    expect(t).toMatch(/conduit-1 has no open connection left to move; \d+ moved, 0 left on conduit-1/);
    expect(t).not.toContain('localhost');
    expect(t).toContain('conduit-1: serving again (/health ok)');
  });

  it('deleting the pod runs the hook: every close announced, PASS, no FailedPreStopHook event', () => {
    const t = transcript();
    expect(t).toMatch(/while kubectl ran \([\d.]+s, exited 0\)/);
    expect(t).toContain('pod "conduit-1" deleted');
    // Each probe had a third of its 30 connections on conduit-1: those were closed, each after a notice.
    const closes = [...t.matchAll(/closes +(\d+): (\d+) clean, silent (\d+)/g)].map((m) => m.slice(1).map(Number));
    expect(closes).toEqual([
      [10, 10, 0],
      [10, 10, 0],
    ]);
    expect(t.match(/instances before +conduit-0 10, conduit-1 10, conduit-2 10\n/g)).toHaveLength(2);
    expect(t.match(/^connections +30 requested, 30 connected, 0 never opened, 30 open at the end$/gm)).toHaveLength(2);
    expect(t.match(/^PASS: 0 silent drops, 0 gaps$/gm)).toHaveLength(2);
    expect(t).toContain('No resources found in conduit namespace.');
    expect(t).toContain('Stopped the sandbox');
  });
});
