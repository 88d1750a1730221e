import { Command } from '../../cli/commander.js';
import type { Factory } from '../../cli/factory.js';
import { addGatewayContractOptions } from '../../cli/gateway-flags.js';
import { durationFlag, fractionFlag } from '../../cli/flags.js';
import { addMigrateOptions, readMigrateFlags, type MigrateFlagValues } from '../../cli/migrate-flags.js';
import { openSession } from '../../cli/session.js';
import { parseTarget } from '../../cli/targets.js';
import { UsageError } from '../../ops/errors.js';
import type { RunCommand } from '../shared/index.js';

export interface RebalanceCommandOptions {
  /** sts/NAME on Kubernetes; undefined with --fleet / --instances (the whole fleet). */
  statefulSet?: string;
  tolerance: number;
  dryRun: boolean;
  timeoutMs: number;
  migrate: MigrateFlagValues;
}

export function defineRebalanceCommand(f: Factory, runF?: RunCommand<RebalanceCommandOptions>): Command {
  const command = new Command('rebalance')
    .summary('even out connections after a scale-up: move clients from the busiest to the least loaded instances')
    .description(
      'Reads every serving instance (Ready, not draining), and when the busiest holds more than ' +
        '--tolerance above the mean, moves clients from the instances above the mean to those below ' +
        'it — never pushing an instance below the mean, never filling one above it. The plan is ' +
        'printed first; each move is a paced migration (see migrate --help) under the workload lock.',
    )
    .argument('[statefulset]', 'sts/NAME (Kubernetes); omit with --fleet or --instances')
    .option('--tolerance <percent>', 'acceptable excess of the busiest instance over the mean', '20%')
    .option('--dry-run', 'print the plan and move nobody')
    .option('--timeout <duration>', 'give up after this long, pauses included ("forever" for no deadline)', '10m')
    .addHelpText(
      'after',
      `
Examples:
  # after scaling from 2 to 3: move clients onto conduit-2 until the skew is within 20%
  ${f.programName} rebalance sts/conduit -n realtime

  # see the plan only, with a tighter tolerance
  ${f.programName} rebalance sts/conduit --tolerance 10% --dry-run

  # a VM fleet
  ${f.programName} rebalance --fleet fleet.yaml --rate 500/s`,
    )
    .action(async (target: string | undefined, flags: Record<string, unknown>, cmd: Command) => {
      const session = openSession(f, cmd);
      let statefulSet: string | undefined;
      if (session.onKubernetes) {
        const parsed = target ? parseTarget([target]) : undefined;
        if (!parsed || parsed.kind !== 'workload' || parsed.workloadKind !== 'statefulset') {
          throw new UsageError(`rebalance takes a StatefulSet such as sts/conduit${target ? `, got "${target}"` : ''}`, 'or --fleet FILE for a fleet that is not on Kubernetes');
        }
        statefulSet = parsed.name;
      } else if (target) {
        throw new UsageError('with --fleet or --instances, rebalance takes no StatefulSet: the whole fleet is balanced');
      }
      const options: RebalanceCommandOptions = {
        ...(statefulSet ? { statefulSet } : {}),
        tolerance: fractionFlag('--tolerance', flags.tolerance as string),
        dryRun: !!flags.dryRun,
        timeoutMs: durationFlag('--timeout', flags.timeout as string, { allowForever: true }),
        migrate: readMigrateFlags(flags),
      };
      const run = runF ?? (await import('./run.js')).runRebalance;
      await session.runAndClose(() => run(session, options));
    });
  return addGatewayContractOptions(addMigrateOptions(command, { reconnectUrl: false }));
}
