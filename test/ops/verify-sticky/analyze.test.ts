import { describe, expect, it } from 'vitest';
import { analyze, type AnalysisInput } from '../../../src/ops/verify-sticky/analyze.js';
import type { ClientRun } from '../../../src/ops/verify-sticky/report.js';
import { cookieFingerprint } from '../../../src/ops/verify-sticky/affinity.js';
import { answered, cookie, fault, pinned, run, target } from './samples.js';

function report(runs: ClientRun[], extra: Partial<AnalysisInput> = {}) {
  return analyze({ target, requestsPerClient: runs[0]?.samples.length ?? 0, runs, tolerance: 0.2, interrupted: false, durationMs: 10, ...extra });
}

describe('verdict', () => {
  it('STICKY when the one client stays on one instance, with a warning that one client proves no spread', () => {
    const r = report([pinned(1, 'conduit-0', 10)]);
    expect(r.verdict).toBe('STICKY');
    expect(r.reason).toBe('the client stayed on conduit-0 for all 10 answers');
    expect(r.clients[0]).toMatchObject({ pinnedTo: 'conduit-0', answered: 10, moves: 0, connections: 10, instances: [{ name: 'conduit-0', count: 10 }] });
    expect(r.warnings.some((w) => w.startsWith('one client shows that it is pinned'))).toBe(true);
  });

  it('NOT STICKY names the client, the request and where it went; the earliest move wins', () => {
    const r = report([
      run(1, [answered('a'), answered('a'), answered('a'), answered('b')]),
      run(2, [answered('c'), answered('b'), answered('c'), answered('c')]),
    ]);
    expect(r.verdict).toBe('NOT STICKY');
    expect(r.firstMove).toEqual({ client: 2, request: 2, from: 'c', to: 'b' });
    expect(r.reason).toBe('client 2 moved from c to b at request 2 of 4 (2 of 2 clients moved)');
    expect(r.clients.map((c) => c.moves)).toEqual([1, 2]);
    expect(r.clients.map((c) => c.pinnedTo)).toEqual([null, null]);
  });

  it('a move across a failed request is still a move; the fault is not an instance', () => {
    const r = report([run(1, [answered('a'), fault('timeout', { detail: 'no answer within 5000ms' }), answered('b')])]);
    expect(r.verdict).toBe('NOT STICKY');
    expect(r.firstMove).toEqual({ client: 1, request: 3, from: 'a', to: 'b' });
    expect(r.clients[0]!.instances).toEqual([{ name: 'a', count: 1 }, { name: 'b', count: 1 }]);
  });

  it('STICKY when six clients are pinned and spread 2/2/2', () => {
    const r = report([pinned(1, 'a', 5), pinned(2, 'b', 5), pinned(3, 'c', 5), pinned(4, 'a', 5), pinned(5, 'b', 5), pinned(6, 'c', 5)]);
    expect(r.verdict).toBe('STICKY');
    expect(r.fleet).toMatchObject({ skew: 1, uneven: false, instances: [{ name: 'a', clients: 2, answers: 10 }, { name: 'b', clients: 2, answers: 10 }, { name: 'c', clients: 2, answers: 10 }] });
    expect(r.reason).toBe('each of 6 clients stayed on one instance; they are spread over 3 instances');
  });

  it('UNEVEN when pinned clients crowd one instance beyond the tolerance', () => {
    const r = report([pinned(1, 'a', 3), pinned(2, 'a', 3), pinned(3, 'a', 3), pinned(4, 'a', 3), pinned(5, 'b', 3), pinned(6, 'c', 3)]);
    expect(r.verdict).toBe('UNEVEN');
    expect(r.fleet.skew).toBe(2);
    expect(r.reason).toBe('every client stayed on one instance, but a holds 4 of 6 clients: skew 2.00 is above 1.20');
  });

  it('a split as even as whole clients allow is not uneven (4 clients over 3 instances)', () => {
    const r = report([pinned(1, 'a', 3), pinned(2, 'b', 3), pinned(3, 'c', 3), pinned(4, 'a', 3)]);
    expect(r.fleet.skew).toBe(1.5);
    expect(r.fleet.uneven).toBe(false);
    expect(r.verdict).toBe('STICKY');
  });

  it('a higher tolerance accepts the same crowding', () => {
    const runs = [pinned(1, 'a', 3), pinned(2, 'a', 3), pinned(3, 'a', 3), pinned(4, 'a', 3), pinned(5, 'b', 3), pinned(6, 'c', 3)];
    expect(report(runs, { tolerance: 1.5 }).verdict).toBe('STICKY');
  });

  it('with --expect-instances, instances nobody reached count as empty', () => {
    const runs = [pinned(1, 'a', 3), pinned(2, 'a', 3), pinned(3, 'a', 3)];
    const without = report(runs);
    expect(without.verdict).toBe('STICKY');
    expect(without.warnings.some((w) => w.startsWith('all 3 clients live on a: with one instance seen'))).toBe(true);
    const withFleet = report(runs, { expectedInstances: 3 });
    expect(withFleet.verdict).toBe('UNEVEN');
    expect(withFleet.fleet).toMatchObject({ skew: 3, expectedInstances: 3 });
  });

  it('INCONCLUSIVE when nothing answered, with the fault counted', () => {
    const r = report([run(1, Array.from({ length: 5 }, () => fault('unreachable', { detail: 'ECONNREFUSED' })))]);
    expect(r.verdict).toBe('INCONCLUSIVE');
    expect(r.reason).toBe('no request named an instance (unreachable: ECONNREFUSED)');
    expect(r.faults).toEqual([
      { kind: 'unreachable', label: 'unreachable: ECONNREFUSED', httpStatus: null, count: 5, clients: [1], reportedBy: [], detail: 'ECONNREFUSED' },
    ]);
    expect(r.totals).toMatchObject({ requests: 5, answered: 0, faults: 5 });
  });

  it('INCONCLUSIVE when a client is held on a draining instance: its 503s are counted and attributed, never answers', () => {
    const draining = () => fault('http-error', { httpStatus: 503, reportedInstance: 'conduit-1', reportedStatus: 'draining', detail: 'HTTP 503', sentCookies: ['SERVERID'] });
    const r = report([pinned(1, 'conduit-0', 4), run(2, [draining(), draining(), draining(), draining()]), pinned(3, 'conduit-2', 4)]);
    expect(r.verdict).toBe('INCONCLUSIVE');
    expect(r.reason).toBe('1 of 3 clients got fewer than 2 answers, so their stickiness is unknown (client 2: 0 answers; HTTP 503 draining from conduit-1)');
    expect(r.faults).toEqual([
      { kind: 'http-error', label: 'HTTP 503 draining', httpStatus: 503, count: 4, clients: [2], reportedBy: [{ name: 'conduit-1', count: 4 }], detail: 'HTTP 503' },
    ]);
    expect(r.fleet.instances.map((i) => i.name)).toEqual(['conduit-0', 'conduit-2']);
  });

  it('STICKY despite a few faults, which are counted and warned about', () => {
    const r = report([run(1, [answered('a'), fault('redirect', { httpStatus: 302, detail: 'Location: /login' }), answered('a'), fault('missing-instance', { httpStatus: 200, detail: 'no "instance" field in the body' })])]);
    expect(r.verdict).toBe('STICKY');
    expect(r.faults.map((f) => [f.label, f.count])).toEqual([
      ['no instance: no "instance" field in the body', 1],
      ['redirect 302 → /login', 1],
    ]);
    expect(r.warnings).toContain('2 of 4 requests named no instance (see faults); the verdict rests on the other 2');
  });
});

describe('item 2: secrets printed — cookie values never in the report, a short fingerprint instead', () => {
  const runs = () => [
    run(1, [answered('gw-1', { setCookies: [cookie('JSESSIONID', 'JSESS-SECRET-1.node1')] }), answered('gw-1', { sentCookies: ['JSESSIONID'] })]),
    run(2, [answered('gw-1', { setCookies: [cookie('JSESSIONID', 'JSESS-SECRET-1.node1')] }), answered('gw-1')]),
    run(3, [answered('gw-2', { setCookies: [cookie('JSESSIONID', 'JSESS-SECRET-2.node2')] }), answered('gw-2')]),
  ];

  it('the report holds fingerprints: equal values equal, different values different, no value anywhere', () => {
    const r = report(runs());
    expect(JSON.stringify(r)).not.toContain('JSESS-SECRET');
    expect(r.affinity).toMatchObject({
      values: [
        { fingerprint: expect.stringMatching(/^#[0-9a-f]{12}$/), instance: 'gw-1' },
        { fingerprint: expect.stringMatching(/^#[0-9a-f]{12}$/), instance: 'gw-2' },
      ],
    });
    const [a, b] = (r.affinity as { values: { fingerprint: string }[] }).values;
    expect(a!.fingerprint).not.toBe(b!.fingerprint);
    expect(a!.fingerprint).toBe(cookieFingerprint('JSESS-SECRET-1.node1'));
  });

  it('values only when asked for explicitly', () => {
    const r = report(runs(), { revealCookieValues: true });
    expect(r.affinity).toMatchObject({ values: [{ value: 'JSESS-SECRET-1.node1' }, { value: 'JSESS-SECRET-2.node2' }] });
  });
});

describe('affinity mechanism', () => {
  it('finds HAProxy’s SERVERID, its attributes, and which value led to which instance', () => {
    const r = report([
      run(1, [answered('conduit-0', { setCookies: [cookie('SERVERID', 's1')] }), answered('conduit-0', { sentCookies: ['SERVERID'] })]),
      run(2, [answered('conduit-1', { setCookies: [cookie('SERVERID', 's2')] }), answered('conduit-1', { sentCookies: ['SERVERID'] })]),
    ]);
    expect(r.affinity).toEqual({
      kind: 'cookie',
      name: 'SERVERID',
      knownAs: 'HAProxy (cookie SERVERID insert)',
      attributes: { path: '/' },
      values: [
        { fingerprint: cookieFingerprint('s1'), instance: 'conduit-0' },
        { fingerprint: cookieFingerprint('s2'), instance: 'conduit-1' },
      ],
      returned: true,
      cookiesSeen: ['SERVERID'],
    });
  });

  it('prefers a known balancer cookie over the application’s own', () => {
    const r = report([run(1, [answered('a', { setCookies: [cookie('sid', 'x'), cookie('AWSALB', 'y', { path: '/', 'max-age': '604800' })] }), answered('a')])]);
    expect(r.affinity).toMatchObject({ kind: 'cookie', name: 'AWSALB', knownAs: 'AWS ALB duration-based stickiness (lb_cookie)', returned: false, cookiesSeen: ['sid', 'AWSALB'] });
  });

  it('reports an unknown cookie as such', () => {
    expect(report([run(1, [answered('a', { setCookies: [cookie('lb', '1')] }), answered('a')])]).affinity).toMatchObject({ kind: 'cookie', name: 'lb', knownAs: null });
  });

  it('no cookie at all: IP-based or none', () => {
    expect(report([pinned(1, 'a', 2)]).affinity).toEqual({ kind: 'none', note: expect.stringContaining('IP-based') as unknown, cookiesSeen: [] });
  });

  it('warns about cookie attributes a browser would not honour', () => {
    const r = report([run(1, [answered('a', { setCookies: [cookie('AWSALB', 'v', { path: '/', samesite: 'None', secure: true, 'max-age': '60' })] }), answered('a')])]);
    expect(r.warnings).toEqual(
      expect.arrayContaining([
        'cookie AWSALB is Secure but http://127.0.0.1:8080/health is not TLS: browsers never send it back here, so their clients will not stick',
        'cookie AWSALB expires after 60s: a client idle for longer loses its instance',
      ]),
    );
    const noSecure = report([run(1, [answered('a', { setCookies: [cookie('route', 'v', { samesite: 'None' })] }), answered('a')])]);
    expect(noSecure.warnings).toContain('cookie route has SameSite=None without Secure: browsers reject it');
  });

  it('with --no-cookies says the balancer’s cookie was never sent back', () => {
    const r = report([run(1, [answered('a', { setCookies: [cookie('SERVERID', 's1')] }), answered('b', { setCookies: [cookie('SERVERID', 's2')] })])], {
      target: { ...target, cookies: false },
    });
    expect(r.verdict).toBe('NOT STICKY');
    expect(r.warnings).toContain('the balancer sets SERVERID but --no-cookies never sent it back: this is what cookie-less clients see');
  });
});

describe('source addresses', () => {
  it('warns when IP-based clients all come from one /24 (nginx ip_hash sees one client)', () => {
    const r = report([pinned(1, 'a', 3, '127.0.0.20'), pinned(2, 'a', 3, '127.0.0.21'), pinned(3, 'a', 3, '127.0.0.22')]);
    expect(r.warnings.some((w) => w.startsWith('every client came from 127.0.0.0/24: nginx ip_hash hashes only the first three octets'))).toBe(true);
  });

  it('does not warn when the third octets differ, or when a cookie carries the affinity', () => {
    const spread = report([pinned(1, 'a', 3, '127.0.1.1'), pinned(2, 'b', 3, '127.0.2.1')]);
    expect(spread.warnings.some((w) => w.includes('/24'))).toBe(false);
    const cookied = report([
      run(1, [answered('a', { localAddress: '127.0.0.1', localPort: 1, setCookies: [cookie('SERVERID', 's1')] }), answered('a', { localAddress: '127.0.0.1', localPort: 2 })]),
      run(2, [answered('b', { localAddress: '127.0.0.1', localPort: 3, setCookies: [cookie('SERVERID', 's2')] }), answered('b', { localAddress: '127.0.0.1', localPort: 4 })]),
    ]);
    expect(cookied.warnings.some((w) => w.includes('/24'))).toBe(false);
  });

  it('warns when clients outnumber the source addresses', () => {
    const r = report([run(1, [answered('a'), answered('a')], '127.0.1.1'), run(2, [answered('b'), answered('b')], '127.0.2.1'), run(3, [answered('a'), answered('a')], '127.0.1.1')]);
    expect(r.warnings).toContain('3 clients share 2 source addresses: an IP-based balancer cannot tell them apart');
  });

  it('counts the connections each client opened, and in total', () => {
    const r = report([
      run(1, [answered('a', { localAddress: '127.0.0.1', localPort: 5, newConnection: true }), answered('a', { localAddress: '127.0.0.1', localPort: 5, newConnection: false }), answered('a', { localAddress: '127.0.0.1', localPort: 6, newConnection: true })]),
      run(2, [fault('unreachable', { detail: 'ECONNREFUSED' }), fault('unreachable', { detail: 'ECONNREFUSED' })]),
    ]);
    expect(r.clients.map((c) => c.connections)).toEqual([2, 0]);
    expect(r.totals.connections).toBe(2);
  });

  it('warns that reused connections test the balancer once per client', () => {
    const r = report([pinned(1, 'a', 3)], { target: { ...target, freshConnections: false } });
    expect(r.warnings).toContain('connections were reused (--reuse-connections): a balancer that picks per connection chose only once per client');
  });
});

describe('interruption', () => {
  it('says how much was sampled', () => {
    const r = report([pinned(1, 'a', 3)], { requestsPerClient: 10, interrupted: true });
    expect(r.interrupted).toBe(true);
    expect(r.warnings[0]).toBe('interrupted after 3 of 10 requests: the report covers what was sampled');
  });
});
