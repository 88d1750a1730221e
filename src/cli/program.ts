import { Command } from 'commander';
import type { Factory } from './factory.js';
import { addGlobalOptions } from './globals.js';
import { defineStatusCommand } from '../commands/status/index.js';
import { defineDrainCommand } from '../commands/drain/index.js';
import { defineVerifyStickyCommand } from '../commands/verify-sticky/index.js';
import { defineScaleCommand } from '../commands/scale/index.js';
import { defineSandboxCommand } from '../commands/sandbox/index.js';

/** Every verb, as the real program has them (each loads its run file only when it runs). */
export function defaultCommands(f: Factory): Command[] {
  return [defineStatusCommand(f), defineDrainCommand(f), defineScaleCommand(f), defineVerifyStickyCommand(f), defineSandboxCommand(f)];
}

/**
 * The command tree: global flags, help, exit-code text, and the verbs. Verb modules are light:
 * each loads its heavy part only when it runs. Tests pass verbs defined with their own run
 * functions (define<Verb>Command(f, runF)).
 */
export function buildProgram(f: Factory, commands: Command[] = defaultCommands(f)): Command {
  const program = new Command(f.programName)
    .description(
      'Operate fleets of WebSocket gateways without losing a connection silently: ' +
        'drain, scale and migrate only after connections have left, and prove it.',
    )
    .version(f.version, '--version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride();
  addGlobalOptions(program);
  program.addHelpText(
    'after',
    `
Exit codes:
  0    ok                      3    refused by a safety check, nothing changed
  1    verification failed     4    timed out, state described
  2    usage error, nothing    5    conflict, state described
       changed                 130  interrupted, state described

Run '${f.programName} COMMAND --help' for a command's flags and examples.`,
  );
  for (const command of commands) program.addCommand(command);
  // Commander does not pass these settings down to commands added with addCommand(): every
  // command of the tree writes to the Factory's streams and throws instead of exiting.
  const output = { writeOut: (text: string) => f.terminal.out.write(text), writeErr: (text: string) => f.terminal.err.write(text) };
  const configure = (command: Command): void => {
    command.exitOverride().configureOutput(output);
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}
