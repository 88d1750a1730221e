// Issue 14 item 9 (output): colour follows no-color.org and FORCE_COLOR's conventions.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createIOStreams, type OutStream } from '../../src/ui/iostreams.js';
import { terminalEnv } from '../../src/ui/terminal-env.js';

function colourOnATerminal(env: Record<string, string>): boolean {
  const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 80 }) as OutStream;
  const terminal = { in: new PassThrough(), out: tty, err: tty, env: terminalEnv(env) };
  return createIOStreams(terminal, { output: 'table', color: true, quiet: false, verbosity: 0 }).color;
}

describe('item 9: output — FORCE_COLOR=0 and an empty NO_COLOR', () => {
  it('colours a terminal by default', () => {
    expect(colourOnATerminal({})).toBe(true);
  });

  it('FORCE_COLOR=0 (or false) turns colour off even on a terminal', () => {
    expect(colourOnATerminal({ FORCE_COLOR: '0' })).toBe(false);
    expect(colourOnATerminal({ FORCE_COLOR: 'false' })).toBe(false);
  });

  it('an empty NO_COLOR does not disable colour; a non-empty one does (no-color.org)', () => {
    expect(colourOnATerminal({ NO_COLOR: '' })).toBe(true);
    expect(colourOnATerminal({ NO_COLOR: '1' })).toBe(false);
  });

  it('FORCE_COLOR=1 colours output that is not a terminal', () => {
    const pipe = new PassThrough() as OutStream;
    const io = createIOStreams({ in: new PassThrough(), out: pipe, err: pipe, env: terminalEnv({ FORCE_COLOR: '1' }) }, { output: 'table', color: true, quiet: false, verbosity: 0 });
    expect(io.color).toBe(true);
  });
});
