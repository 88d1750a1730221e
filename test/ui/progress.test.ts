// Issue 14 item 9 (output): a long drain piped or in CI shows a plain progress line every ~10 s.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createIOStreams, type OutStream } from '../../src/ui/iostreams.js';
import { createProgress, PLAIN_PROGRESS_INTERVAL_MS } from '../../src/ui/progress.js';

function pipedStderr(flags: { quiet?: boolean } = {}) {
  const err = new PassThrough() as OutStream;
  let text = '';
  err.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const env = { noColor: true, forceColor: false, ci: true, dumb: false };
  const io = createIOStreams({ in: new PassThrough(), out: new PassThrough(), err, env }, { output: 'table', color: false, quiet: flags.quiet ?? false, verbosity: 0 });
  return { io, text: () => text };
}

describe('item 9: output — a plain progress line every ~10 s when stderr is not a terminal', () => {
  it('prints the latest status once per interval, nothing in between', () => {
    let now = 0;
    const { io, text } = pipedStderr();
    const progress = createProgress(io, 'requesting drain…', { now: () => now });
    progress.update('5 connections left');
    now = PLAIN_PROGRESS_INTERVAL_MS - 1;
    progress.update('4 connections left');
    expect(text()).toBe('');
    now = PLAIN_PROGRESS_INTERVAL_MS;
    progress.update('3 connections left');
    now += 1_000;
    progress.update('2 connections left');
    now += PLAIN_PROGRESS_INTERVAL_MS;
    progress.update('1 connection left');
    progress.stop();
    expect(text()).toBe('3 connections left\n1 connection left\n');
  });

  it('-q keeps stderr silent', () => {
    let now = 0;
    const { io, text } = pipedStderr({ quiet: true });
    const progress = createProgress(io, '', { now: () => now });
    now = PLAIN_PROGRESS_INTERVAL_MS * 3;
    progress.update('3 connections left');
    expect(text()).toBe('');
  });
});

describe('item 9: output — "1 instances"', () => {
  it('status, drain and scale say 1 instance / 1 connection', async () => {
    const { counted } = await import('../../src/util/plural.js');
    expect([counted(1, 'instance'), counted(2, 'instance'), counted('1', 'connection'), counted('unknown', 'connection')]).toEqual([
      '1 instance',
      '2 instances',
      '1 connection',
      'unknown connections',
    ]);
  });
});
