// docs/runbooks/verify-stickiness.md, run as written on the sandbox: the ClientIP Service, a real
// HAProxy (cookie SERVERID insert) and a real nginx (ip_hash) in front of the sandbox's pods.
import { expect, it } from 'vitest';
import { HAPROXY, NGINX } from '../../support/lb/binaries.js';
import { describeRunbook } from '../../support/runbook.js';

/** The verdict lines of the transcript, in order. */
function verdicts(transcript: string): string[] {
  return [...transcript.matchAll(/^(STICKY|NOT STICKY|UNEVEN|INCONCLUSIVE):.*$/gm)].map((m) => m[0]);
}

describeRunbook('docs/runbooks/verify-stickiness.md', import.meta.url, (transcript) => {
  it('needs haproxy and nginx (.ci/run installs them)', () => {
    expect(HAPROXY, 'haproxy is not installed').toBeDefined();
    expect(NGINX, 'nginx is not installed').toBeDefined();
  });

  it('gives the seven verdicts the runbook promises, in order', () => {
    const v = verdicts(transcript());
    expect(v.map((line) => line.split(':')[0])).toEqual(['STICKY', 'UNEVEN', 'STICKY', 'STICKY', 'NOT STICKY', 'STICKY', 'UNEVEN']);
    expect(v[0]).toContain('spread over 3 instances');
    expect(v[2]).toContain('spread over 3 instances');
    expect(v[5]).toContain('spread over 3 instances');
  });

  it('the Service: ClientIP affinity read with kubectl, no cookie found, one source address all on one pod', () => {
    const t = transcript();
    expect(t).toContain('ClientIP timeout=10800s');
    expect(t).toContain('Affinity: none found');
    expect(t.match(/^uneven as expected: exit 1$/gm)).toHaveLength(2);
    expect(t).toContain('UNEVEN: every client stayed on one instance, but conduit-');
  });

  it('HAProxy: the SERVERID cookie is found and sent back; without cookies every client moves', () => {
    const t = transcript();
    expect(t).toContain('Affinity: cookie SERVERID — HAProxy (cookie SERVERID insert)');
    expect(t).toContain('sent back: yes');
    expect(t).toMatch(/^not sticky without cookies, as expected: exit 1$/m);
  });

  it('nginx: one /24 is one client to ip_hash, and the report says so', () => {
    expect(transcript()).toContain('! every client came from 127.48.64.0/24: nginx ip_hash hashes only the first three octets');
  });

  it('the runbook stopped its balancers itself', () => {
    const t = transcript();
    expect(t).toMatch(/\+ kill \d+\n[\s\S]*\+ kill \d+\n/);
    expect(t).toContain('Stopped the sandbox');
  });
});
