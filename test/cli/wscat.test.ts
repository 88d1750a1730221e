// wscat's end of a session → exit code (see `wscat --help`): the decision over each way a chat ends.
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import type { WscatCommandOptions } from '../../src/commands/wscat/index.js';
import { failOnAbnormalEnd } from '../../src/commands/wscat/run.js';
import type { ChatOutcome } from '../../src/probe/wscat/chat.js';

const URL = 'ws://127.40.51.1:9/v1/subscribe';
const OPTIONS: WscatCommandOptions = { url: URL, headers: {}, subprotocols: [], execute: [], autoReconnect: false, maxReconnects: 10, connectTimeoutMs: 10_000, slashCommands: true };

function exitOf(outcome: ChatOutcome, options: Partial<WscatCommandOptions> = {}): { code: number; message?: string } {
  try {
    failOnAbnormalEnd(outcome, { ...OPTIONS, ...options });
    return { code: 0 };
  } catch (error) {
    return { code: exitCodeFor(error), message: (error as Error).message };
  }
}

describe('wscat outcome → exit code', () => {
  it.each([
    ['closed by us with 1000', { kind: 'closed', code: 1000, reason: '', byUs: true }],
    ['closed by the server with 1000', { kind: 'closed', code: 1000, reason: '', byUs: false }],
    ['closed by the server with 1001 (going away)', { kind: 'closed', code: 1001, reason: '', byUs: false }],
    ['closed by the server with 1012 (service restart)', { kind: 'closed', code: 1012, reason: '', byUs: false }],
    ['stopped while not connected', { kind: 'stopped' }],
  ] as [string, ChatOutcome][])('%s → 0', (_what, outcome) => {
    expect(exitOf(outcome)).toEqual({ code: 0 });
  });

  it('the server closed with another code → 1, naming it', () => {
    const { code, message } = exitOf({ kind: 'closed', code: 4001, reason: 'kicked', byUs: false });
    expect(code).toBe(1);
    expect(message).toContain('the connection closed abnormally');
    expect(message).toContain('4001');
  });

  it('our close never answered (1006) → 1', () => {
    expect(exitOf({ kind: 'closed', code: 1006, reason: '', byUs: true })).toEqual({ code: 1, message: 'the server never answered the close frame; the connection was cut' });
  });

  it('no connection (refused) → 1', () => {
    expect(exitOf({ kind: 'failed', url: URL, failure: { kind: 'network', detail: 'ECONNREFUSED' } })).toEqual({ code: 1, message: 'no connection' });
  });

  it('the opening handshake timed out → 4', () => {
    const { code, message } = exitOf({ kind: 'failed', url: URL, failure: { kind: 'timeout', detail: '10s' } });
    expect(code).toBe(4);
    expect(message).toBe('no connection: the opening handshake timed out');
  });

  it('--auto-reconnect gave up on another URL → 1, saying how many attempts', () => {
    const { code, message } = exitOf({ kind: 'failed', url: 'ws://127.40.51.2:9/v1/subscribe', failure: { kind: 'refused-upgrade', status: 503, body: '' } }, { autoReconnect: true, maxReconnects: 3 });
    expect(code).toBe(1);
    expect(message).toBe('gave up reconnecting after 3 failed attempts');
  });
});
