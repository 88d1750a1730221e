import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/ops/errors.js';
import { checkSubprotocols, isCredentialHeader, parseHeaders, redactedUrl, webSocketUrl } from '../../../src/commands/wscat/target.js';

describe('wscat: the URL', () => {
  it('takes ws(s) URLs, turns http(s) into ws(s) and a bare host:port into ws://', () => {
    expect(webSocketUrl('ws://127.0.0.1:9088/v1/subscribe')).toBe('ws://127.0.0.1:9088/v1/subscribe');
    expect(webSocketUrl('https://ws.example.com/x')).toBe('wss://ws.example.com/x');
    expect(webSocketUrl('http://ws.example.com/x')).toBe('ws://ws.example.com/x');
    expect(webSocketUrl('127.0.0.1:9088/v1/subscribe')).toBe('ws://127.0.0.1:9088/v1/subscribe');
  });

  it('refuses other schemes and fragments (exit 2)', () => {
    expect(() => webSocketUrl('ftp://example.com')).toThrow(UsageError);
    expect(() => webSocketUrl('ws://example.com/#x')).toThrow(UsageError);
    expect(() => webSocketUrl('ws://exa mple.com')).toThrow(UsageError);
  });

  it('is never shown with its password or a credential-like query value', () => {
    const shown = redactedUrl('wss://alice:s3cr3t@ws.example.com/v1?access_token=tok123&room=7&sig=abc');
    expect(shown).not.toContain('s3cr3t');
    expect(shown).not.toContain('tok123');
    expect(shown).not.toContain('abc');
    expect(shown).toBe('wss://alice:***@ws.example.com/v1?access_token=***&room=7&sig=***');
  });

  it('a usage error about a bad URL does not quote its password', () => {
    expect(() => webSocketUrl('ws://bob:hunter2@exa mple.com')).toThrow(/^(?!.*hunter2)/s);
  });
});

describe('wscat: -H headers', () => {
  it('parse "Name: value", trim, and join a repeated name', () => {
    expect(parseHeaders(['Authorization: Bearer abc', 'X-A:1', 'x-a: 2'])).toEqual({ Authorization: 'Bearer abc', 'X-A': '1, 2' });
  });

  it('refuse a missing colon, a bad name, line breaks, and handshake headers — without quoting the value', () => {
    expect(() => parseHeaders(['NoColon'])).toThrow(UsageError);
    expect(() => parseHeaders(['Bad Name: x'])).toThrow(UsageError);
    expect(() => parseHeaders(['X-Token: abc\r\nEvil: 1'])).toThrow(/line break/);
    expect(() => parseHeaders(['X-Token: abc\r\nEvil: 1'])).not.toThrow(/abc/);
    expect(() => parseHeaders(['Sec-WebSocket-Protocol: chat'])).toThrow(/--subprotocol/);
    expect(() => parseHeaders(['Upgrade: h2c'])).toThrow(UsageError);
  });

  it('know which headers carry credentials', () => {
    for (const name of ['Authorization', 'cookie', 'Proxy-Authorization', 'X-Api-Key', 'X-Auth-Token', 'X-Session']) expect(isCredentialHeader(name), name).toBe(true);
    for (const name of ['Origin', 'User-Agent', 'X-Request-Id']) expect(isCredentialHeader(name), name).toBe(false);
  });
});

describe('wscat: --subprotocol', () => {
  it('takes tokens, refuses spaces and repeats', () => {
    expect(checkSubprotocols(['chat.v2', 'mqtt'])).toEqual(['chat.v2', 'mqtt']);
    expect(() => checkSubprotocols(['a b'])).toThrow(UsageError);
    expect(() => checkSubprotocols(['a', 'a'])).toThrow(UsageError);
  });
});
