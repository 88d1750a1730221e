import { describe, expect, it } from 'vitest';
import { countAtPath, strictCount } from '../../src/gateway/strict-json.js';

describe('strictCount', () => {
  it('accepts non-negative safe integers', () => {
    for (const value of [0, 1, 150, Number.MAX_SAFE_INTEGER]) expect(strictCount(value, 'n')).toEqual({ ok: true, value });
  });

  it('refuses everything else', () => {
    for (const value of ['0', -1, 1.5, null, 1e300, Number.NaN, Infinity, -0, true, {}, [], undefined, Number.MAX_SAFE_INTEGER + 1]) {
      expect(strictCount(value, 'n').ok).toBe(false);
    }
  });
});

describe('countAtPath', () => {
  it('follows a dotted path through own properties only', () => {
    expect(countAtPath('{"a":{"b":{"c":2}}}', 'a.b.c')).toEqual({ ok: true, value: 2 });
    expect(countAtPath('{"a":{}}', 'a.constructor').ok).toBe(false);
    expect(countAtPath('{"a":{}}', 'a.__proto__').ok).toBe(false);
    expect(countAtPath('{"a":[3]}', 'a.0').ok).toBe(false);
  });
});
