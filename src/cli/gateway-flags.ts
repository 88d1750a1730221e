import { Option, type Command } from 'commander';
import { integerFlag } from './flags.js';
import { UsageError } from '../ops/errors.js';

/** How to read a gateway's admin contract when it differs from Conduit's (DESIGN.md §2). */
export interface GatewayContractOptions {
  adminPort?: number;
  healthPath?: string;
  countPath?: string;
  countField?: string;
  countMetric?: string;
  instanceField?: string;
  healthStatusField?: string;
  healthOkValues?: string[];
  healthDrainingValues?: string[];
}

const GROUP = 'Gateway contract (defaults are Conduit’s):';

export function addGatewayContractOptions(command: Command): Command {
  const options = [
    new Option('--admin-port <port>', 'gateway admin port (default 9087)'),
    new Option('--health-path <path>', 'health endpoint (default /health)'),
    new Option('--count-path <path>', 'JSON document holding the connection count (default /v1/metrics)'),
    new Option('--count-field <path>', 'dotted JSON field of the count (default ws.connections.active)'),
    new Option('--count-metric <name>', 'read the count from this Prometheus metric at /metrics instead of JSON'),
    new Option('--instance-field <path>', 'dotted JSON field naming the instance in /health (default instance)'),
    new Option('--health-status-field <path>', 'dotted JSON field of the status in /health (default status)'),
    new Option('--health-ok-values <list>', 'comma-separated status values meaning serving (default ok), e.g. ok,healthy'),
    new Option('--health-draining-values <list>', 'comma-separated status values meaning draining (default draining)'),
  ];
  for (const option of options) command.addOption(option.helpGroup(GROUP));
  return command;
}

function path(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!value.startsWith('/') || /[\s?#]/.test(value)) throw new UsageError(`${flag}: "${value}" must be a path starting with /`);
  return value;
}

export function readGatewayContract(raw: Record<string, unknown>): GatewayContractOptions {
  const text = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : undefined);
  if (text('countField') && text('countMetric')) throw new UsageError('--count-field and --count-metric cannot be used together');
  const adminPort = text('adminPort');
  return {
    adminPort: adminPort === undefined ? undefined : integerFlag('--admin-port', adminPort, { min: 1, max: 65535 }),
    healthPath: path('--health-path', text('healthPath')),
    countPath: path('--count-path', text('countPath')),
    countField: text('countField'),
    countMetric: text('countMetric'),
    instanceField: text('instanceField'),
    healthStatusField: text('healthStatusField'),
    healthOkValues: valueList('--health-ok-values', text('healthOkValues')),
    healthDrainingValues: valueList('--health-draining-values', text('healthDrainingValues')),
  };
}

/** `ok,healthy` → ['ok', 'healthy']; an empty list or item is a usage error. */
export function valueList(flag: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new UsageError(`${flag}: "${value}" must be a comma-separated list of non-empty values`);
  return items;
}
