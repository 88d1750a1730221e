import type { Target } from '../ops/ports/index.js';
import { UsageError } from '../ops/errors.js';
import { dns1123SubdomainProblem } from '../util/names.js';

const WORKLOAD_PREFIXES: Record<string, 'statefulset' | 'deployment'> = {
  sts: 'statefulset',
  statefulset: 'statefulset',
  statefulsets: 'statefulset',
  'statefulset.apps': 'statefulset',
  'statefulsets.apps': 'statefulset',
  deploy: 'deployment',
  deployment: 'deployment',
  deployments: 'deployment',
  'deployment.apps': 'deployment',
  'deployments.apps': 'deployment',
};

/** kubectl's names of the pod resource: `pod/NAME`, `po/NAME`, `pods NAME…`. */
const POD_TYPES = new Set(['po', 'pod', 'pods']);

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
  const [first, ...rest] = args as [string, ...string[]];
  // kubectl's `TYPE NAME…` form: `sts conduit`, `pods conduit-1 conduit-2`.
  const type = first.toLowerCase();
  if (rest.length > 0 && !first.includes('/')) {
    if (POD_TYPES.has(type)) return { kind: 'names', names: rest.map((name) => checkedName(name, 'pod name')) };
    const workloadKind = WORKLOAD_PREFIXES[type];
    if (workloadKind) {
      if (rest.length > 1) throw new UsageError(`give one ${workloadKind} name, got ${rest.length}`);
      return { kind: 'workload', workloadKind, name: checkedName(rest[0]!, `${workloadKind} name`) };
    }
  }
  const names = args.map((arg) => {
    const slash = arg.indexOf('/');
    if (slash === -1) return checkedName(arg, 'name');
    const prefix = arg.slice(0, slash).toLowerCase();
    if (POD_TYPES.has(prefix)) return checkedName(arg.slice(slash + 1), 'pod name');
    const workloadKind = WORKLOAD_PREFIXES[prefix];
    if (!workloadKind) throw new UsageError(`unknown resource type in "${arg}": use sts/NAME, statefulset/NAME, deploy/NAME or pod names (also pod/NAME, po/NAME, statefulset.apps/NAME, or TYPE NAME)`);
    if (args.length > 1) throw new UsageError(`"${arg}" names a whole ${workloadKind}: give it alone, not with other names`);
    return { workloadKind, name: checkedName(arg.slice(slash + 1), `${workloadKind} name`) };
  });
  const [only] = names;
  if (typeof only === 'object') return { kind: 'workload', ...only };
  return { kind: 'names', names: names as string[] };
}
