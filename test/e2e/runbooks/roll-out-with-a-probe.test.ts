// docs/runbooks/roll-out-with-a-probe.md, run as written on the sandbox: probe --rollout
// sts/conduit --restart through the Service, then a kubectl set image rollout under `probe --`.
import { expect, it } from 'vitest';
import { describeRunbook } from '../../support/runbook.js';

/** The probe reports of a transcript, in order: their close lines and verdicts. */
function reports(transcript: string): { closes: number; clean: number; silent: number; verdict: string }[] {
  return [...transcript.matchAll(/closes +(\d+): (\d+) clean, silent (\d+)[\s\S]*?\n(PASS|FAIL)\b/g)].map((m) => ({
    closes: Number(m[1]),
    clean: Number(m[2]),
    silent: Number(m[3]),
    verdict: m[4]!,
  }));
}

describeRunbook('docs/runbooks/roll-out-with-a-probe.md', import.meta.url, (transcript) => {
  it('reads the termination budget from the StatefulSet', () => {
    expect(transcript()).toContain('RollingUpdate grace=20s');
  });

  it('restarts the rollout under the probe: complete, every close announced, PASS', () => {
    const t = transcript();
    expect(t).toMatch(/rollout of sts\/conduit \(restarted\), revision conduit-\w+ → conduit-\w+, complete in/);
    expect(t).toContain('60 requested, 60 connected, 0 never opened, 60 open at the end');
    expect(t).toMatch(/instances before +conduit-0 \d+, conduit-1 \d+, conduit-2 \d+\n/);
  });

  it('rolls a new image with kubectl under `probe --`: PASS too', () => {
    const t = transcript();
    expect(t).toContain('statefulset.apps/conduit image updated');
    expect(t).toMatch(/while sh ran \([\d.]+s, exited 0\)/);
    expect(t).toContain('conduit/reference-gateway:0.1.1');
  });

  it('rolls back with kubectl rollout undo under a third probe: the previous image is back', () => {
    const t = transcript();
    expect(t).toMatch(/REVISION {2}CHANGE-CAUSE\n1 +<none>\n2 +<none>\n3 +<none>\n/);
    expect(t).toContain('statefulset.apps/conduit rolled back');
    expect(t).toMatch(/^conduit\/reference-gateway:0\.1\.0$/m);
  });

  it('every probe saw every pod close its clients, each close announced: 0 silent, PASS', () => {
    const all = reports(transcript());
    expect(all).toHaveLength(3);
    for (const r of all) {
      expect(r.closes).toBeGreaterThanOrEqual(60);
      expect(r.clean).toBe(r.closes);
      expect(r.silent).toBe(0);
      expect(r.verdict).toBe('PASS');
    }
    expect(transcript().match(/^PASS: 0 silent drops, 0 gaps$/gm)).toHaveLength(3);
    expect(transcript()).toContain('Stopped the sandbox');
  });
});
