// A Factory for running the command tree in-process, with stdout and stderr captured.
import { PassThrough, Readable, Writable } from 'node:stream';
import type { Factory } from '../../src/cli/factory.js';
import { FakeClock } from '../support/fakes/index.js';

export interface CapturedFactory {
  factory: Factory;
  out(): string;
  err(): string;
}

function sink(into: string[]): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      into.push(String(chunk));
      done();
    },
  });
}

export function captureFactory(programName = 'conduitctl'): CapturedFactory {
  const out: string[] = [];
  const err: string[] = [];
  const factory: Factory = {
    programName,
    version: '0.0.0-test',
    terminal: {
      in: Readable.from([]) as PassThrough,
      out: sink(out),
      err: sink(err),
      env: { noColor: true, forceColor: false, ci: true, dumb: false },
    },
    env: {},
    clock: new FakeClock(),
    operator: 'conduitctl@test/1',
    signal: new AbortController().signal,
    installation: { cliEntry: '/nonexistent/conduitctl.js', distDir: '/nonexistent/dist/' },
  };
  return { factory, out: () => out.join(''), err: () => err.join('') };
}
