// A Factory for running the command tree in-process, with stdout and stderr captured: the test
// Factory of test/support/cli under another program name.
import type { Factory } from '../../src/cli/factory.js';
import { testFactory } from '../support/cli/index.js';

export interface CapturedFactory {
  factory: Factory;
  out(): string;
  err(): string;
}

export function captureFactory(programName = 'conduitctl'): CapturedFactory {
  const { factory, out, err } = testFactory();
  return { factory: { ...factory, programName }, out: () => out.text(), err: () => err.text() };
}
