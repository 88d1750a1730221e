// `conduitctl __complete WORDS… PARTIAL`: the hidden command the shell scripts and kubectl call.
// It is answered before commander parses anything (the words are a half-typed command line, not
// this process's flags), prints cobra's protocol on stdout, and never writes to stderr.

import type { Command } from 'commander';
import type { Factory } from '../factory.js';
import { complete } from './complete.js';
import { liveNames } from './live-names.js';
import { DIRECTIVE, formatCompletion } from './protocol.js';

export const COMPLETE_COMMAND = '__complete';

export async function answerCompletion(program: Command, args: readonly string[], f: Factory): Promise<number> {
  const words = args.slice(0, -1);
  const partial = args[args.length - 1] ?? '';
  try {
    f.terminal.out.write(formatCompletion(await complete(program, words, partial, liveNames(f))));
  } catch {
    f.terminal.out.write(formatCompletion({ candidates: [], directive: DIRECTIVE.error }));
  }
  return 0;
}
