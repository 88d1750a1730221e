import { Command } from '../../cli/commander.js';
import type { Factory } from '../../cli/factory.js';
import { addGatewayContractOptions } from '../../cli/gateway-flags.js';
import { durationFlag, integerFlag } from '../../cli/flags.js';
import { addMigrateOptions, readMigrateFlags, type MigrateFlagValues } from '../../cli/migrate-flags.js';
import { openSession } from '../../cli/session.js';
import { parseTarget } from '../../cli/targets.js';
import { UsageError } from '../../ops/errors.js';
import type { RunCommand } from '../shared/index.js';

export interface MigrateCommandOptions {
  source: string;
  /** --to: receivers by name; default: every other instance (Kubernetes: of the same StatefulSet). */
  to?: string[];
  count?: number;
  dryRun: boolean;
  timeoutMs: number;
  pollIntervalMs: number;
  migrate: MigrateFlagValues;
}

export function defineMigrateCommand(f: Factory, runF?: RunCommand<MigrateCommandOptions>): Command {
  const command = new Command('migrate')
    .summary('move a gateway’s clients to other instances in paced batches')
    .description(
      'Tell the clients of POD to reconnect elsewhere, a batch at a time: each is sent a "migrating" ' +
        'notice naming where to go and when (a random delay in --reconnect-after), then closed with ' +
        '1012. Receivers are Ready, not draining, not terminating, with room under their limit ' +
        '(--max-connections or conduit.dev/max-connections); if they cannot absorb the clients it ' +
        'refuses (exit 3) before moving anyone. The plan is printed first.\n\n' +
        'Each batch is a POST /admin/migrate with a batch id, so a retried request never moves a ' +
        'batch twice; counts are re-read between batches; it slows down near a receiver’s limit and ' +
        'pauses while receivers are unhealthy or do not show the clients arriving.\n\n' +
        'Clients go to the receivers’ own WebSocket URLs (--to, or all other instances), or through ' +
        '--reconnect-url — only once the source is out of rotation (Kubernetes: its EndpointSlice ' +
        'shows it not ready; otherwise fresh upgrades through the URL land elsewhere), else exit 3.\n\n' +
        'Ctrl-C stops between batches and says what moved and what is left (exit 130).',
    )
    .argument('<pod>', 'the instance whose clients move')
    .option('--to <pods...>', 'receivers (default: every other instance)')
    .option('--count <n>', 'move at most this many clients (default: all)')
    .option('--dry-run', 'print the plan and move nobody')
    .option('--timeout <duration>', 'give up after this long, pauses included ("forever" for no deadline)', '10m')
    .option('--poll-interval <duration>', 'time between rotation checks', '1s')
    .addHelpText(
      'after',
      `
Examples:
  # move conduit-2's clients to the other pods of its StatefulSet, 200 a second
  ${f.programName} migrate conduit-2 -n realtime

  # move 500 clients to two named pods, fast, reconnecting within half a second
  ${f.programName} migrate conduit-2 --to conduit-0 conduit-1 --count 500 --rate 1000/s --reconnect-after 0s-500ms

  # through a load balancer, on a file fleet (conduit-b must be drained first)
  ${f.programName} migrate conduit-b --fleet fleet.yaml --reconnect-url ws://lb.example.com/v1/subscribe

  # only print the plan
  ${f.programName} migrate conduit-2 --dry-run`,
    )
    .action(async (source: string, flags: Record<string, unknown>, cmd: Command) => {
      const session = openSession(f, cmd);
      const named = parseTarget([source]);
      if (named.kind !== 'names') throw new UsageError(`migrate takes one pod or instance name, got "${source}"`);
      const migrate = readMigrateFlags(flags);
      const to = Array.isArray(flags.to) ? (flags.to as string[]) : undefined;
      if (to) {
        const parsed = parseTarget(to);
        if (parsed.kind !== 'names') throw new UsageError('--to takes pod or instance names');
        if (to.includes(source)) throw new UsageError(`--to cannot include the source ${source}`);
        if (migrate.reconnectUrl) throw new UsageError('give --to (pods) or --reconnect-url (a load balancer), not both');
      }
      const options: MigrateCommandOptions = {
        source,
        ...(to ? { to } : {}),
        ...(typeof flags.count === 'string' ? { count: integerFlag('--count', flags.count, { min: 1 }) } : {}),
        dryRun: !!flags.dryRun,
        timeoutMs: durationFlag('--timeout', flags.timeout as string, { allowForever: true }),
        pollIntervalMs: durationFlag('--poll-interval', flags.pollInterval as string),
        migrate,
      };
      const run = runF ?? (await import('./run.js')).runMigrate;
      await session.runAndClose(() => run(session, options));
    });
  return addGatewayContractOptions(addMigrateOptions(command));
}
