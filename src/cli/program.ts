import { Command } from 'commander';
import type { Factory } from './factory.js';
import { addGlobalOptions } from './globals.js';
import { printableLines } from '../util/printable.js';
import { defineStatusCommand } from '../commands/status/index.js';
import { defineDrainCommand } from '../commands/drain/index.js';
import { defineVerifyStickyCommand } from '../commands/verify-sticky/index.js';
import { defineScaleCommand } from '../commands/scale/index.js';
import { defineSandboxCommand } from '../commands/sandbox/index.js';
import { defineCompletionCommand } from '../commands/completion/index.js';
import { defineOptionsCommand } from '../commands/options/index.js';
import { defineProbeCommand } from '../commands/probe/index.js';
import { defineWscatCommand } from '../commands/wscat/index.js';
import { defineMigrateCommand } from '../commands/migrate/index.js';
import { defineUndrainCommand } from '../commands/undrain/index.js';
import { defineRebalanceCommand } from '../commands/rebalance/index.js';
import { applyKubectlHelp } from './help.js';

/** Every verb, as the real program has them (each loads its run file only when it runs). */
export function defaultCommands(f: Factory): Command[] {
  return [
    defineStatusCommand(f),
    defineDrainCommand(f),
    defineUndrainCommand(f),
    defineScaleCommand(f),
    defineVerifyStickyCommand(f),
    defineSandboxCommand(f),
    defineProbeCommand(f),
    defineWscatCommand(f),
    defineMigrateCommand(f),
    defineRebalanceCommand(f),
    defineCompletionCommand(f),
    defineOptionsCommand(f),
  ];
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
  configureEverywhere(program, f);
  applyKubectlHelp(program, f);
  return program;
}

/** Every command (added ones do not inherit it) writes to the Factory's streams and throws instead of exiting. */
function configureEverywhere(command: Command, f: Factory): void {
  command.exitOverride().configureOutput({
    writeOut: (text) => f.terminal.out.write(text),
    writeErr: (text) => f.terminal.err.write(text),
    // commander's own errors quote the unknown option or argument the user typed.
    outputError: (text, write) => write(printableLines(text)),
  });
  for (const sub of command.commands) configureEverywhere(sub, f);
}
