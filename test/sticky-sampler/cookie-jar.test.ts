import { describe, expect, it } from 'vitest';
import { CookieJar } from '../../src/sticky-sampler/cookie-jar.js';
import { parseSetCookie } from '../../src/sticky-sampler/set-cookie.js';

function cookie(header: string) {
  const parsed = parseSetCookie(header);
  if (!parsed) throw new Error(`bad test cookie ${header}`);
  return parsed;
}

describe('CookieJar', () => {
  it('sends back what it was given, replacing a cookie of the same name and path', () => {
    const jar = new CookieJar();
    jar.store(cookie('SERVERID=s1; path=/'), '/health');
    jar.store(cookie('other=x; path=/'), '/health');
    jar.store(cookie('SERVERID=s3; path=/'), '/health');
    expect(jar.headerFor('/health', false)).toEqual({ header: 'SERVERID=s3; other=x', names: ['SERVERID', 'other'] });
  });

  it('drops a cookie on Max-Age=0 and on an Expires in the past', () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const jar = new CookieJar(() => now);
    jar.store(cookie('route=a; Path=/'), '/health');
    jar.store(cookie('route=gone; Path=/; Max-Age=0'), '/health');
    expect(jar.headerFor('/health', false).names).toEqual([]);

    jar.store(cookie('AWSALB=v; Path=/; Expires=Wed, 31 Dec 2025 23:00:00 GMT'), '/health');
    expect(jar.size).toBe(0);

    jar.store(cookie('AWSALB=v; Path=/; Max-Age=60'), '/health');
    expect(jar.headerFor('/health', false).names).toEqual(['AWSALB']);
    now += 61_000;
    expect(jar.headerFor('/health', false).names).toEqual([]);
  });

  it('Max-Age wins over Expires', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const jar = new CookieJar(() => now);
    jar.store(cookie('a=1; Expires=Wed, 31 Dec 2025 23:00:00 GMT; Max-Age=100'), '/');
    expect(jar.headerFor('/', false).names).toEqual(['a']);
  });

  it('honours Path: default from the request path, and no match on a sibling prefix', () => {
    const jar = new CookieJar();
    jar.store(cookie('api=1; Path=/api'), '/api/health');
    jar.store(cookie('deflt=1'), '/v1/subscribe');
    expect(jar.headerFor('/api/health', false).names).toEqual(['api']);
    expect(jar.headerFor('/apifoo', false).names).toEqual([]);
    expect(jar.headerFor('/v1/other', false).names).toEqual(['deflt']);
    expect(jar.headerFor('/health', false).names).toEqual([]);
  });

  it('keeps a Secure cookie off a plain-http channel, as a browser does', () => {
    const jar = new CookieJar();
    jar.store(cookie('AWSALB=v; Path=/; Secure'), '/health');
    expect(jar.headerFor('/health', false).names).toEqual([]);
    expect(jar.headerFor('/health', true).names).toEqual(['AWSALB']);
  });
});
