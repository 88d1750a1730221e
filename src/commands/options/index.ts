import { Command } from '../../cli/commander.js';
import type { Factory } from '../../cli/factory.js';
import { formatGlobalOptions, OPTIONS_TOPIC } from '../../cli/help.js';

/** kubectl's `kubectl options`: the global flags, listed once instead of under every command. */
export function defineOptionsCommand(f: Factory): Command {
  return new Command(OPTIONS_TOPIC)
    .summary('print the list of flags inherited by all commands')
    .description('Print the global command-line options: the kubeconfig, context and namespace, the fleet source, the output format and the transport flags every command takes.')
    .addHelpText(
      'after',
      `
Examples:
  # print flags inherited by all commands
  ${f.programName} ${OPTIONS_TOPIC}`,
    )
    .action((_flags: unknown, command: Command) => {
      f.terminal.out.write(formatGlobalOptions(command.parent!));
    });
}
