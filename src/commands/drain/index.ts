import { Command, Option } from '../../cli/commander.js';
import type { Factory } from '../../cli/factory.js';
import { addGatewayContractOptions } from '../../cli/gateway-flags.js';
import { durationFlag } from '../../cli/flags.js';
import { addMigrateOptions, readMigrateFlags, type MigrateFlagValues } from '../../cli/migrate-flags.js';
import { openSession } from '../../cli/session.js';
import { parseTarget } from '../../cli/targets.js';
import { UsageError } from '../../ops/errors.js';
import type { Target } from '../../ops/ports/index.js';
import { MIN_EVICTION_RETRY_MS, type ThenAction } from '../../ops/kube-drain/index.js';
import { addDrainTimingOptions, drainTimingOf, type DrainTiming, type RunCommand } from '../shared/index.js';

export interface DrainCommandOptions {
  /** undefined with --local: the gateway on this host. */
  target?: Target;
  local: boolean;
  localAdminUrl: string;
  /** $POD_NAME; absent, the local gateway is named by its own /health (else "localhost"). */
  localName?: string;
  timing: DrainTiming;
  /** Kubernetes: what to do with a drained pod. */
  then: ThenAction;
  /** Kubernetes: allow draining the last Ready pod of a StatefulSet. */
  allowLast: boolean;
  /** Kubernetes: spacing of eviction retries while a PodDisruptionBudget says no (≥ 5 s). */
  evictionRetryMs: number;
  /** --migrate: move the clients to the other instances instead of waiting for them to leave. */
  migrate?: MigrateFlagValues;
  /** --dry-run[=client|server]: print what would be drained, change nothing. */
  dryRun: boolean;
}

export function defineDrainCommand(f: Factory, runF?: RunCommand<DrainCommandOptions>): Command {
  const command = new Command('drain')
    .summary('drain gateway instances and wait until their connections have left')
    .description(
      'Tell each gateway to drain (stop accepting; /health answers 503 "draining" so load balancers ' +
        'take it out of rotation), check that it really is draining, then wait until its connection ' +
        'count is a stable zero: 0 on 3 consecutive polls and at least --min-drain-time since it was ' +
        'seen draining. A count that cannot be read is unknown and keeps the wait going; at the ' +
        'deadline the command says what is left and exits 4.\n\n' +
        'Ctrl-C undrains what this run drained (unless --keep-draining) and exits 130. ' +
        'Draining an instance that is already draining is a no-op; a re-run resumes the wait.\n\n' +
        'With --local it drains the gateway on this host: use it as the lifecycle.preStop hook ' +
        'instead of `sleep 60` — it returns as soon as the pod is empty.',
    )
    .argument('[targets...]', 'pod or instance names to drain')
    .option('-l, --selector <selector>', 'label selector (Kubernetes)')
    .option('--local', 'drain the gateway on this host (preStop hook); needs no fleet or kubeconfig')
    .option('--local-url <url>', 'admin URL of the local gateway with --local', 'http://127.0.0.1:9087')
    .option('--dry-run', 'print what would be drained (also --dry-run=client|server|none) and change nothing');
  addDrainTimingOptions(command, { timeout: '5m', keepDraining: 'on Ctrl-C or SIGTERM, leave the instances draining' });
  command
    .addOption(new Option('--then <action>', 'Kubernetes: after the stable zero, evict (honours PodDisruptionBudgets) or delete the pod').choices(['none', 'evict', 'delete']).default('none'))
    .option('--allow-last', 'Kubernetes: allow draining the last Ready pod of a StatefulSet')
    .option('--eviction-retry <duration>', 'Kubernetes: retry an eviction a PodDisruptionBudget refused after this long (at least 5s)', '5s')
    .option('--migrate', 'move the clients to the other instances (paced, see migrate --help) instead of waiting for them to leave')
    .addHelpText(
      'after',
      `
Examples:
  # drain two instances of a VM fleet and wait for their clients to leave
  ${f.programName} drain conduit-a conduit-b --fleet fleet.yaml

  # what would be drained, as it is now (nothing is sent but reads)
  ${f.programName} drain sts/conduit --dry-run=client -n realtime

  # preStop hook inside the pod (replaces "sleep 60")
  ${f.programName} drain --local --timeout 55s

  # move conduit-2's clients to the other pods, 500 a second, then wait for the stable zero
  ${f.programName} drain conduit-2 --migrate --rate 500/s

  # preStop hook that moves the pod's clients through the Service, paced, instead of waiting
  ${f.programName} drain --local --migrate --reconnect-url ws://conduit.realtime.svc:9088/v1/subscribe --rate 200/s`,
    )
    .action(async (targets: string[], flags: Record<string, string | boolean | undefined>, cmd: Command) => {
      const local = !!flags.local;
      const session = openSession(f, cmd, { localOnly: local });
      if (local && (targets.length > 0 || flags.selector)) throw new UsageError('--local drains this host’s gateway: give no names or selector');
      if (local && (session.globals.fleetFile || session.globals.instances)) throw new UsageError('--local cannot be combined with --fleet or --instances');
      if (!local && targets.length === 0 && !flags.selector) {
        throw new UsageError('name the instances to drain', `for example: ${f.programName} drain conduit-2 --fleet fleet.yaml (or --local inside a pod)`);
      }
      const localAdminUrl = flags.localUrl as string;
      if (local && !/^https?:\/\/[^/\s]+\/?$/.test(localAdminUrl)) throw new UsageError(`--local-url: "${localAdminUrl}" must be an http(s) base URL such as http://127.0.0.1:9087`);
      const options: DrainCommandOptions = {
        target: local ? undefined : parseTarget(targets, flags.selector as string | undefined),
        local,
        localAdminUrl: localAdminUrl.replace(/\/$/, ''),
        ...(f.env.POD_NAME ? { localName: f.env.POD_NAME } : {}),
        timing: drainTimingOf(flags),
        then: flags.then as ThenAction,
        allowLast: !!flags.allowLast,
        evictionRetryMs: evictionRetryFlag(flags.evictionRetry as string),
        dryRun: !!flags.dryRun,
      };
      if (flags.migrate) {
        options.migrate = readMigrateFlags(flags);
        if (local && !options.migrate.reconnectUrl) throw new UsageError('--local --migrate needs --reconnect-url: a pod’s preStop hook does not know the other pods', 'e.g. --reconnect-url ws://conduit.realtime.svc:9088/v1/subscribe');
      }
      if (options.then !== 'none' && !session.onKubernetes) throw new UsageError(`--then ${options.then} needs Kubernetes pods; a --fleet or --instances fleet has nothing to evict or delete`);
      const run = runF ?? (await import('./run.js')).runDrain;
      await session.runAndClose(() => run(session, options));
    });
  return addGatewayContractOptions(addMigrateOptions(command));
}

function evictionRetryFlag(text: string): number {
  const ms = durationFlag('--eviction-retry', text);
  if (ms < MIN_EVICTION_RETRY_MS) throw new UsageError(`--eviction-retry: at least 5s (a PodDisruptionBudget is not asked more often), got ${text}`);
  return ms;
}
