import { CommanderError, type Command } from 'commander';
import { ConduitError } from '../ops/errors.js';
import { isAbortError } from '../util/abort.js';
import { printableLines } from '../util/printable.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import type { Factory } from './factory.js';
import { buildProgram } from './program.js';
import { normalizeKubectlArgs } from './kubectl-args.js';
import { answerCompletion, COMPLETE_COMMAND } from './completion/answer.js';

/** Parse argv, run the command, and turn the outcome into an exit code. Never throws. */
export async function runCli(argv: string[], f: Factory, program: Command = buildProgram(f)): Promise<number> {
  if (argv[0] === COMPLETE_COMMAND) return answerCompletion(program, argv.slice(1), f);
  try {
    await program.parseAsync(normalizeKubectlArgs(argv), { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return reportFailure(f, error);
  }
}

function reportFailure(f: Factory, error: unknown): number {
  const err = f.terminal.err;
  if (error instanceof CommanderError) {
    // commander already printed its message (or the help/version text).
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof ConduitError) {
    err.write(`error: ${printableLines(error.message)}\n`);
    if (error.hint) err.write(`${printableLines(error.hint)}\n`);
    return exitCodeFor(error);
  }
  if (isAbortError(error) && f.signal.aborted) {
    err.write('error: interrupted\n');
    return EXIT.interrupted;
  }
  const message = error instanceof Error ? error.message : String(error);
  err.write(`error: ${printableLines(message)}\n`);
  return exitCodeFor(error);
}
