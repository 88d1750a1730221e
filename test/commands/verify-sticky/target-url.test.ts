import { describe, expect, it } from 'vitest';
import { pathFlag, sampledUrl } from '../../../src/commands/verify-sticky/target-url.js';

describe('the sampled URL', () => {
  it('appends the path to the balancer’s base URL', () => {
    expect(sampledUrl('http://127.0.0.1:8080', '/health', false)).toBe('http://127.0.0.1:8080/health');
    expect(sampledUrl('https://lb.example.com/api/', '/health', false)).toBe('https://lb.example.com/api/health');
  });

  it('switches to ws(s) for --ws', () => {
    expect(sampledUrl('http://lb:8080', '/v1/subscribe', true)).toBe('ws://lb:8080/v1/subscribe');
    expect(sampledUrl('https://lb', '/v1/subscribe', true)).toBe('wss://lb/v1/subscribe');
    expect(sampledUrl('wss://lb', '/v1/subscribe', true)).toBe('wss://lb/v1/subscribe');
  });

  it.each([
    ['nope', false, 'is not a URL'],
    ['ftp://lb', false, 'must start with http:// or https://'],
    ['ws://lb', false, 'must start with http:// or https://'],
    ['http://lb/?x=1', false, 'no query string'],
    ['http://user:pw@lb', false, 'credentials'],
  ])('refuses %s', (url, ws, message) => {
    expect(() => sampledUrl(url, '/health', ws)).toThrow(message);
  });

  it('checks path flags', () => {
    expect(pathFlag('--path', '/healthz')).toBe('/healthz');
    expect(() => pathFlag('--path', 'health')).toThrow('--path: "health" must be a path starting with /');
    expect(() => pathFlag('--path', '/health?x')).toThrow('must be a path');
  });
});

describe('item 6: verify-sticky http://lb/health requests /health, not /health/health', () => {
  it('a URL that names a path is sampled as written when --path was not given', () => {
    expect(sampledUrl('http://lb:8080/health', '/health', false, false)).toBe('http://lb:8080/health');
    expect(sampledUrl('http://lb:8080/api/status', '/health', false, false)).toBe('http://lb:8080/api/status');
  });

  it('a bare host or a prefix ending in / still gets the default path', () => {
    expect(sampledUrl('http://lb:8080', '/health', false, false)).toBe('http://lb:8080/health');
    expect(sampledUrl('http://lb:8080/api/', '/health', false, false)).toBe('http://lb:8080/api/health');
  });

  it('an explicit --path is appended to the URL path as before', () => {
    expect(sampledUrl('http://lb:8080/api', '/health', false, true)).toBe('http://lb:8080/api/health');
  });
});
