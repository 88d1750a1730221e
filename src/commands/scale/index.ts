import { Command } from '../../cli/commander.js';
import type { Factory } from '../../cli/factory.js';
import { addGatewayContractOptions } from '../../cli/gateway-flags.js';
import { durationFlag, integerFlag } from '../../cli/flags.js';
import { addMigrateOptions, readMigrateFlags, type MigrateFlagValues } from '../../cli/migrate-flags.js';
import { openSession } from '../../cli/session.js';
import { parseTarget } from '../../cli/targets.js';
import { UsageError } from '../../ops/errors.js';
import { dns1123SubdomainProblem } from '../../util/names.js';
import { addDrainTimingOptions, drainTimingOf, type DrainTiming, type RunCommand } from '../shared/index.js';

export interface ScaleCommandOptions {
  statefulSet: string;
  replicas: number;
  dryRun: boolean;
  timing: DrainTiming;
  stallAfterMs: number;
  allowHpa: boolean;
  allowZero: boolean;
  remove?: string[];
  capacityPerPod?: number;
  /** --migrate: move the victims' clients to the survivors before the stable-zero wait. */
  migrate?: MigrateFlagValues;
}

export function defineScaleCommand(f: Factory, runF?: RunCommand<ScaleCommandOptions>): Command {
  const command = new Command('scale')
    .summary('scale a StatefulSet; scale down only after the removed pods hold no connections')
    .description(
      'Scale up: write spec.replicas and wait until the new pods are Ready.\n\n' +
        'Scale down: the pods that go are the highest ordinals (REPLICAS…current-1). conduitctl prints ' +
        'the plan, takes a Lease on the StatefulSet (one operator at a time), drains those pods in ' +
        'parallel until each holds a stable zero, reads each count once more directly, then writes ' +
        'spec.replicas carrying the resourceVersion read at the start. If someone else changed the ' +
        'StatefulSet meanwhile (kubectl scale, an HPA) it stops with exit 5 and overwrites nothing. ' +
        'Finally it watches the removed pods go.\n\n' +
        'Refused before anything changes (exit 3): an HPA owns the replicas (--allow-hpa), scaling ' +
        'to 0 (--allow-zero), below a PodDisruptionBudget, terminationGracePeriodSeconds 0, missing ' +
        'RBAC, or too little room on the remaining pods (conduit.dev/max-connections).\n\n' +
        'Ctrl-C undrains what this run drained (unless --keep-draining) and exits 130.',
    )
    .argument('<statefulset>', 'sts/NAME, statefulset.apps/NAME, or sts NAME')
    // kubectl's `sts NAME` form: the name arrives as one more argument.
    .allowExcessArguments()
    .requiredOption('--replicas <n>', 'the desired number of replicas')
    .option('--dry-run', 'print the plan and change nothing: no lease, no drain, no write (also --dry-run=client|server|none)');
  addDrainTimingOptions(command, { timeout: '10m', keepDraining: 'on Ctrl-C or SIGTERM, leave the drained pods draining' });
  command
    .option('--stall-after <duration>', 'no pod removed for this long behind an unready pod = stalled (exit 4)', '60s')
    .option('--allow-hpa', 'scale although a HorizontalPodAutoscaler targets the StatefulSet')
    .option('--allow-zero', 'allow --replicas 0')
    .option('--remove <pods>', 'comma-separated pods you expect to be removed; refused if they are not the highest ordinals')
    .option('--max-connections-per-pod <n>', 'capacity of one pod for the capacity check (default: the conduit.dev/max-connections annotation)')
    .option('--migrate', 'scale down: move the removed pods’ clients to the remaining pods (paced, see migrate --help) instead of waiting for them to leave')
    .addHelpText(
      'after',
      `
Examples:
  # see what would happen: victims, their connections, the checks
  ${f.programName} scale sts/conduit --replicas 2 --dry-run -n realtime

  # remove conduit-2 once its clients have left (at most 15 minutes)
  ${f.programName} scale sts/conduit --replicas 2 --timeout 15m

  # scale up and wait for the new pods to be Ready
  ${f.programName} scale sts/conduit --replicas 5

  # scale down, moving conduit-2's clients to conduit-0/1 at 500 a second first
  ${f.programName} scale sts/conduit --replicas 2 --migrate --rate 500/s`,
    )
    .action(async (target: string, flags: Record<string, string | boolean | undefined>, cmd: Command) => {
      const session = openSession(f, cmd);
      if (cmd.args.length > 2) throw new UsageError(`scale takes one StatefulSet, got: ${cmd.args.join(' ')}`);
      const parsed = parseTarget(cmd.args);
      if (parsed.kind !== 'workload' || parsed.workloadKind !== 'statefulset') {
        throw new UsageError(`scale takes a StatefulSet such as sts/conduit, got "${target}"`);
      }
      const options: ScaleCommandOptions = {
        statefulSet: parsed.name,
        // Kubernetes' replicas is an int32.
        replicas: integerFlag('--replicas', flags.replicas as string, { min: 0, max: 2_147_483_647 }),
        dryRun: !!flags.dryRun,
        timing: drainTimingOf(flags),
        stallAfterMs: durationFlag('--stall-after', flags.stallAfter as string),
        allowHpa: !!flags.allowHpa,
        allowZero: !!flags.allowZero,
        ...(typeof flags.remove === 'string' ? { remove: podList(flags.remove) } : {}),
        ...(typeof flags.maxConnectionsPerPod === 'string'
          ? { capacityPerPod: integerFlag('--max-connections-per-pod', flags.maxConnectionsPerPod, { min: 1 }) }
          : {}),
        ...(flags.migrate ? { migrate: readMigrateFlags(flags) } : {}),
      };
      const run = runF ?? (await import('./run.js')).runScale;
      await session.runAndClose(() => run(session, options));
    });
  return addGatewayContractOptions(addMigrateOptions(command));
}

function podList(text: string): string[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError('--remove: give pod names, e.g. conduit-2,conduit-3');
  for (const name of names) {
    const problem = dns1123SubdomainProblem(name);
    if (problem) throw new UsageError(`--remove: invalid pod name "${name}": ${problem}`);
  }
  return names;
}
