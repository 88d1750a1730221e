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
