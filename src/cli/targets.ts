import type { Target } from '../ops/ports/index.js';
import { UsageError } from '../ops/errors.js';
import { dns1123SubdomainProblem } from '../util/names.js';

const WORKLOAD_PREFIXES: Record<string, 'statefulset' | 'deployment'> = {
  sts: 'statefulset',
  statefulset: 'statefulset',
  statefulsets: 'statefulset',
  deploy: 'deployment',
  deployment: 'deployment',
  deployments: 'deployment',
};

function checkedName(name: string, what: string): string {
  const problem = dns1123SubdomainProblem(name);
  if (problem) throw new UsageError(`invalid ${what} "${name}": ${problem}`);
  return name;
}

/** kubectl-style targets: `sts/NAME`, pod or instance names, or `-l SELECTOR`; nothing = the whole fleet. */
export function parseTarget(args: string[], selector?: string): Target {
  if (selector !== undefined) {
    if (args.length > 0) throw new UsageError('give names or a selector (-l), not both');
    if (selector.trim() === '') throw new UsageError('-l: the selector is empty');
    return { kind: 'selector', selector };
  }
  if (args.length === 0) return { kind: 'all' };
  const [first] = args;
  const slash = first!.indexOf('/');
  if (slash !== -1 && args.length === 1) {
    const kind = WORKLOAD_PREFIXES[first!.slice(0, slash).toLowerCase()];
    if (!kind) {
      throw new UsageError(`unknown resource type in "${first}": use sts/NAME, statefulset/NAME, deploy/NAME or pod names`);
    }
    return { kind: 'workload', workloadKind: kind, name: checkedName(first!.slice(slash + 1), kind + ' name') };
  }
  return { kind: 'names', names: args.map((name) => checkedName(name, 'name')) };
}
