// The drain timing flags (RELIABILITY rules 2–4) every command that drains takes: declared and
// parsed here only, with the defaults of ops/drain.

import { Option, type Command } from '../../cli/commander.js';
import { durationFlag, integerFlag } from '../../cli/flags.js';
import { defaultDrainSettings, type DrainSettings } from '../../ops/drain/index.js';
import { formatDuration } from '../../util/duration.js';

export type DrainTiming = Omit<DrainSettings, 'undrainTimeoutMs'>;

export interface DrainTimingHelp {
  /** The --timeout default of this command ("5m" for drain, "10m" for scale). */
  timeout: string;
  /** What --keep-draining leaves draining. */
  keepDraining: string;
}

export function addDrainTimingOptions(command: Command, help: DrainTimingHelp): Command {
  const d = defaultDrainSettings;
  return command
    .option('--timeout <duration>', 'give up after this long ("forever" for no deadline)', help.timeout)
    .option('--min-drain-time <duration>', 'minimum time draining before zero counts (endpoints take time to update)', formatDuration(d.minDrainMs))
    .option('--poll-interval <duration>', 'time between connection-count polls', formatDuration(d.pollIntervalMs))
    .option('--confirm-timeout <duration>', 'how long /health may take to report "draining"', formatDuration(d.confirmTimeoutMs))
    .addOption(new Option('--stable-polls <n>', 'consecutive zero counts required').default(String(d.stableZeroPolls)).hideHelp())
    .option('--keep-draining', help.keepDraining);
}

type Flags = Record<string, string | boolean | undefined>;

/** The parsed timing flags; bad input → UsageError naming the flag and the valid forms (exit 2). */
export function drainTimingOf(flags: Flags): DrainTiming {
  return {
    timeoutMs: durationFlag('--timeout', flags.timeout as string, { allowForever: true }),
    minDrainMs: durationFlag('--min-drain-time', flags.minDrainTime as string, { allowZero: true }),
    pollIntervalMs: durationFlag('--poll-interval', flags.pollInterval as string),
    confirmTimeoutMs: durationFlag('--confirm-timeout', flags.confirmTimeout as string),
    stableZeroPolls: integerFlag('--stable-polls', flags.stablePolls as string, { min: 1, max: 100 }),
    keepDraining: !!flags.keepDraining,
  };
}
