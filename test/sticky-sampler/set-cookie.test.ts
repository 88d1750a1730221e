import { describe, expect, it } from 'vitest';
import { parseSetCookie, parseSetCookieHeaders } from '../../src/sticky-sampler/set-cookie.js';

describe('parseSetCookie', () => {
  it('reads HAProxy’s inserted cookie', () => {
    expect(parseSetCookie('SERVERID=s2; path=/')).toEqual({ name: 'SERVERID', value: 's2', attributes: { path: '/' } });
  });

  it('reads an ALB cookie with every attribute, names lower-cased, flags as true', () => {
    const cookie = parseSetCookie('AWSALB=abc/def==; Expires=Tue, 01 Dec 2026 10:00:00 GMT; Path=/; SameSite=None; Secure; HttpOnly');
    expect(cookie).toEqual({
      name: 'AWSALB',
      value: 'abc/def==',
      attributes: { expires: 'Tue, 01 Dec 2026 10:00:00 GMT', path: '/', samesite: 'None', secure: true, httponly: true },
    });
  });

  it('unquotes a quoted value and keeps "=" inside values', () => {
    expect(parseSetCookie('route="a=b"; Max-Age=60')).toEqual({ name: 'route', value: 'a=b', attributes: { 'max-age': '60' } });
  });

  it('refuses a header with no name', () => {
    expect(parseSetCookie('=value; path=/')).toBeUndefined();
    expect(parseSetCookie('just-text')).toBeUndefined();
  });

  it('takes node’s string[] or nothing, and skips unusable entries', () => {
    expect(parseSetCookieHeaders(undefined)).toEqual([]);
    expect(parseSetCookieHeaders(['a=1', 'broken', 'b=2']).map((c) => c.name)).toEqual(['a', 'b']);
  });
});
