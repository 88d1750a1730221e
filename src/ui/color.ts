import { Chalk, type ChalkInstance } from 'chalk';
import type { IOStreams } from './iostreams.js';

export type Palette = ChalkInstance;

/** A chalk whose level follows our decision (chalk itself ignores NO_COLOR). */
export function palette(io: Pick<IOStreams, 'color'>): ChalkInstance {
  return new Chalk({ level: io.color ? 1 : 0 });
}
