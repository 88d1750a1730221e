import { Command } from '../../cli/commander.js';
import type { Factory } from '../../cli/factory.js';
import { addGatewayContractOptions } from '../../cli/gateway-flags.js';
import { durationFlag } from '../../cli/flags.js';
import { openSession } from '../../cli/session.js';
import { parseTarget } from '../../cli/targets.js';
import type { Target } from '../../ops/ports/index.js';
import type { RunCommand } from '../shared/index.js';

export interface UndrainCommandOptions {
  target: Target;
  timeoutMs: number;
  pollIntervalMs: number;
  /** --dry-run[=client|server]: print what would be undrained, change nothing. */
  dryRun: boolean;
}

export function defineUndrainCommand(f: Factory, runF?: RunCommand<UndrainCommandOptions>): Command {
  const command = new Command('undrain')
    .summary('put drained gateway instances back into service')
    .description(
      'Tell each gateway to undrain (accept new connections again) and wait until its /health ' +
        'answers ok: an accepted request is not done. An instance whose /health already says ok ' +
        'is left alone, so a re-run is safe. A gateway with no undrain endpoint (404/405) or that ' +
        'rejects the admin token stops the command at once (exit 3); at the deadline what is ' +
        'still draining is listed (exit 4).\n\n' +
        'With --fleet or --instances and no names, every instance of the fleet is undrained; on ' +
        'Kubernetes name the pods, a StatefulSet (sts/NAME) or a selector.',
    )
    .argument('[targets...]', 'pod or instance names, or sts/NAME (default with --fleet/--instances: all)')
    .option('-l, --selector <selector>', 'label selector (Kubernetes)')
    .option('--timeout <duration>', 'give up after this long', '1m')
    .option('--poll-interval <duration>', 'time between /health reads', '1s')
    .option('--dry-run', 'print what would be undrained (also --dry-run=client|server|none) and change nothing')
    .addHelpText(
      'after',
      `
Examples:
  # undo a drain that was interrupted with --keep-draining
  ${f.programName} undrain conduit-a --fleet fleet.yaml

  # every instance of a VM fleet
  ${f.programName} undrain --fleet fleet.yaml

  # two pods of a StatefulSet, or all of its pods
  ${f.programName} undrain conduit-2 conduit-3 -n realtime
  ${f.programName} undrain sts/conduit -n realtime`,
    )
    .action(async (targets: string[], flags: Record<string, string | boolean | undefined>, cmd: Command) => {
      const session = openSession(f, cmd);
      const options: UndrainCommandOptions = {
        target: parseTarget(targets, flags.selector as string | undefined),
        timeoutMs: durationFlag('--timeout', flags.timeout as string),
        pollIntervalMs: durationFlag('--poll-interval', flags.pollInterval as string),
        dryRun: !!flags.dryRun,
      };
      const run = runF ?? (await import('./run.js')).runUndrain;
      await session.runAndClose(() => run(session, options));
    });
  return addGatewayContractOptions(command);
}
