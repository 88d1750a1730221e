import { printableLines } from '../util/printable.js';
import type { IOStreams } from './iostreams.js';

/** Notes and warnings for people: stderr, suppressed by -q. */
export function note(io: Pick<IOStreams, 'quiet' | 'err'>, text: string): void {
  if (!io.quiet) io.err.write(`${printableLines(text)}\n`);
}

/** Debug detail for -v; callers must pass already-redacted text. */
export function debug(io: Pick<IOStreams, 'verbosity' | 'err'>, level: number, text: string): void {
  if (io.verbosity >= level) io.err.write(`${printableLines(text)}\n`);
}
