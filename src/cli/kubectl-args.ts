// kubectl's spellings that commander does not parse by itself, rewritten before parsing:
//   -v=6, --v=6                  kubectl's log level → --v 6 (plain -v, -vv… still count up)
//   --dry-run=none|client|server → --dry-run (client, server: show the plan, change nothing) or
//                                  nothing at all (none); bare --dry-run keeps working.
// Both sides of the plan are read-only either way: server adds no request that could write.
import { UsageError } from '../ops/errors.js';

const DRY_RUN_STRATEGIES = ['none', 'client', 'server'];

export function normalizeKubectlArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (const [index, arg] of argv.entries()) {
    if (arg === '--') return [...out, ...argv.slice(index)];
    const level = /^--?v=(.*)$/.exec(arg);
    if (level) {
      out.push('--v', level[1]!);
      continue;
    }
    const dryRun = /^--dry-run=(.*)$/.exec(arg);
    if (dryRun) {
      const strategy = dryRun[1]!;
      if (!DRY_RUN_STRATEGIES.includes(strategy)) {
        throw new UsageError(`--dry-run: "${strategy}" is not one of ${DRY_RUN_STRATEGIES.join(', ')}`, 'bare --dry-run means client');
      }
      if (strategy !== 'none') out.push('--dry-run');
      continue;
    }
    out.push(arg);
  }
  return out;
}
