import { Command } from '../../cli/commander.js';
import type { Factory } from '../../cli/factory.js';
import { addGatewayContractOptions } from '../../cli/gateway-flags.js';
import { durationFlag, integerFlag } from '../../cli/flags.js';
import { openSession } from '../../cli/session.js';
import { parseTarget } from '../../cli/targets.js';
import type { Target } from '../../ops/ports/index.js';
import type { RunCommand } from '../shared/index.js';

export interface StatusCommandOptions {
  target: Target;
  watch: boolean;
  intervalMs: number;
  concurrency: number;
}

export function defineStatusCommand(f: Factory, runF?: RunCommand<StatusCommandOptions>): Command {
  const command = new Command('status')
    .summary('show each gateway instance: health and live connections')
    .description(
      'Show one row per gateway instance: readiness, health (ok / draining / unreachable), active ' +
        'connections, address and age, then totals and the skew (max/mean connections; above 1.2 ' +
        'is flagged). A count that cannot be read is shown as unknown, never as 0.',
    )
    .argument('[targets...]', 'sts/NAME, pod or instance names (default: the whole fleet)')
    .option('-l, --selector <selector>', 'label selector (Kubernetes)')
    .option('-w, --watch', 'refresh until interrupted')
    .option('--interval <duration>', 'refresh interval with --watch', '2s')
    .option('--concurrency <n>', 'instances queried at once', '32')
    .addHelpText(
      'after',
      `
Examples:
  # every instance of a fleet that is not on Kubernetes
  ${f.programName} status --fleet fleet.yaml

  # the pods of a StatefulSet, with more columns
  ${f.programName} status sts/conduit -n realtime -o wide

  # pods by label, refreshed every 2 s until Ctrl-C
  ${f.programName} status -l app=conduit --watch`,
    )
    .action(async (targets: string[], flags: Record<string, string | boolean | undefined>, cmd: Command) => {
      const session = openSession(f, cmd);
      const options: StatusCommandOptions = {
        target: parseTarget(targets, flags.selector as string | undefined),
        watch: !!flags.watch,
        intervalMs: durationFlag('--interval', flags.interval as string),
        concurrency: integerFlag('--concurrency', flags.concurrency as string, { min: 1, max: 1024 }),
      };
      const run = runF ?? (await import('./run.js')).runStatus;
      await session.runAndClose(() => run(session, options));
    });
  return addGatewayContractOptions(command);
}
