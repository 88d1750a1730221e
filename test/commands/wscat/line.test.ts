import { describe, expect, it } from 'vitest';
import { isSendableCloseCode, parseLine } from '../../../src/commands/wscat/line.js';

describe('wscat: a typed line', () => {
  it('is sent as it is, spaces and all', () => {
    expect(parseLine('  {"op":"sub"} ', true)).toEqual({ kind: 'send', text: '  {"op":"sub"} ' });
    expect(parseLine('', true)).toEqual({ kind: 'send', text: '' });
  });

  it('starting with // sends one leading slash', () => {
    expect(parseLine('//ping', true)).toEqual({ kind: 'send', text: '/ping' });
  });

  it('starting with / is sent verbatim with --no-slash', () => {
    expect(parseLine('/close 4000', false)).toEqual({ kind: 'send', text: '/close 4000' });
    expect(parseLine('//x', false)).toEqual({ kind: 'send', text: '//x' });
  });

  it('/ping and /help are commands; /ping takes no argument', () => {
    expect(parseLine('/ping', true)).toEqual({ kind: 'ping' });
    expect(parseLine('/help', true)).toEqual({ kind: 'help' });
    expect(parseLine('/ping now', true)).toMatchObject({ kind: 'invalid' });
  });

  it('/close defaults to 1000 and no reason', () => {
    expect(parseLine('/close', true)).toEqual({ kind: 'close', code: 1000, reason: '' });
  });

  it('/close takes a code and a reason of several words', () => {
    expect(parseLine('/close 4000 all done here', true)).toEqual({ kind: 'close', code: 4000, reason: 'all done here' });
    expect(parseLine('/close 1001', true)).toEqual({ kind: 'close', code: 1001, reason: '' });
  });

  it('/close refuses codes a client may not send, and reasons that do not fit a close frame', () => {
    for (const code of ['1005', '1006', '999', '2000', '5000', 'abc', '-1', '1000.5']) {
      const parsed = parseLine(`/close ${code}`, true);
      expect(parsed, code).toMatchObject({ kind: 'invalid' });
      if (parsed.kind === 'invalid') expect(parsed.message).toContain(code);
    }
    expect(parseLine(`/close 4000 ${'x'.repeat(124)}`, true)).toMatchObject({ kind: 'invalid', message: expect.stringContaining('123') });
    expect(parseLine(`/close 4000 ${'x'.repeat(123)}`, true)).toMatchObject({ kind: 'close', code: 4000 });
  });

  it('an unknown command is refused with a hint, never sent', () => {
    expect(parseLine('/quit', true)).toEqual({ kind: 'invalid', message: expect.stringMatching(/unknown command \/quit.*\/help.*\/\//) });
  });

  it('knows which close codes may be sent (RFC 6455 §7.4)', () => {
    expect([1000, 1001, 1003, 1007, 1014, 3000, 4999].every(isSendableCloseCode)).toBe(true);
    expect([999, 1004, 1005, 1006, 1015, 2999, 5000].some(isSendableCloseCode)).toBe(false);
  });
});
