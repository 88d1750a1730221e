// Command line and environment of the conduit-gateway process → validated options.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { FaultSpecError, parseFaultFlag, type FaultPatch } from './faults.js';
import { consecutiveIPv4, FLEET_DEFAULTS, type FleetOptions } from './fleet.js';
import { GATEWAY_DEFAULTS, type GatewayOptions } from './gateway.js';

export class UsageError extends Error {}

export type GatewayCommand =
  | { kind: 'help' }
  | { kind: 'single'; options: GatewayOptions }
  | { kind: 'fleet'; count: number; options: FleetOptions };

export type Environment = Readonly<Record<string, string | undefined>>;

export const USAGE = `Usage: conduit-gateway [options]

A reference WebSocket gateway speaking the Conduit admin contract (docs/admin-contract.md).

Options:
  --name NAME                 instance name (env POD_NAME; default ${GATEWAY_DEFAULTS.name})
  --bind IP                   address to listen on (env POD_IP; default ${GATEWAY_DEFAULTS.bind})
  --port N                    public port: /health, WebSocket /v1/subscribe (default ${GATEWAY_DEFAULTS.port}; 0 = any)
  --admin-port N              admin port: /health, /v1/metrics, /metrics, /admin/* (default ${GATEWAY_DEFAULTS.adminPort}; 0 = any)
  --tick-ms N                 interval of tick messages, 0 = none (default ${GATEWAY_DEFAULTS.tickMs})
  --max-connections N         refuse upgrades beyond N with 503, 0 = unlimited (default 0)
  --close-timeout-ms N        terminate a client that ignores the close frame after N ms (default ${GATEWAY_DEFAULTS.closeTimeoutMs})
  --shutdown-deadline-ms N    on SIGTERM, wait up to N ms for clients to leave (default ${GATEWAY_DEFAULTS.shutdownDeadlineMs})
  --admin-token-file PATH     require this token on /admin/* (or env CONDUIT_ADMIN_TOKEN)
  --instances N               run N instances in this process, one per consecutive address
  --base-ip IP                first address for --instances (default ${FLEET_DEFAULTS.baseIp})
  --name-prefix PREFIX        instances are named PREFIX-0 … PREFIX-(N-1) (default ${FLEET_DEFAULTS.namePrefix})
  --enable-faults             expose POST/GET /_faults on the admin port (testing only)
  --fault KEY=VALUE           initial fault, repeatable (health, metrics, prometheus, drain, ticks)
  -h, --help                  show this help

When every listener is up, one JSON line is printed on stdout:
  {"event":"listening","instances":[{"name":…,"address":…,"port":…,"adminPort":…}]}
SIGTERM/SIGINT drain gracefully; a second signal exits at once.
`;

const MAX_INSTANCES = 4096;

export function parseGatewayArgs(
  argv: readonly string[],
  env: Environment,
  readTextFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): GatewayCommand {
  const { values } = parseStrict(argv);
  if (values.help) return { kind: 'help' };

  const common = {
    port: port(values.port, '--port', GATEWAY_DEFAULTS.port),
    adminPort: port(values['admin-port'], '--admin-port', GATEWAY_DEFAULTS.adminPort),
    tickMs: integer(values['tick-ms'], '--tick-ms', GATEWAY_DEFAULTS.tickMs),
    maxConnections: integer(values['max-connections'], '--max-connections', GATEWAY_DEFAULTS.maxConnections),
    closeTimeoutMs: integer(values['close-timeout-ms'], '--close-timeout-ms', GATEWAY_DEFAULTS.closeTimeoutMs),
    shutdownDeadlineMs: integer(values['shutdown-deadline-ms'], '--shutdown-deadline-ms', GATEWAY_DEFAULTS.shutdownDeadlineMs),
    adminToken: adminToken(values['admin-token-file'], env, readTextFile),
    enableFaults: values['enable-faults'] ?? false,
    faults: faults(values.fault ?? [], values['enable-faults'] ?? false),
  };
  if (common.port !== 0 && common.port === common.adminPort) {
    throw new UsageError(`--port and --admin-port must differ (both ${common.port})`);
  }

  if (values.instances === undefined) {
    for (const flag of ['base-ip', 'name-prefix'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} only applies with --instances`);
    }
    const name = values.name ?? nonEmpty(env.POD_NAME) ?? GATEWAY_DEFAULTS.name;
    const bind = values.bind ?? nonEmpty(env.POD_IP) ?? GATEWAY_DEFAULTS.bind;
    if (isIP(bind) === 0) throw new UsageError(`--bind must be an IP address, got "${bind}"`);
    return { kind: 'single', options: { ...common, name: instanceName(name, '--name'), bind } };
  }

  for (const flag of ['name', 'bind'] as const) {
    if (values[flag] !== undefined) {
      throw new UsageError(`--${flag} does not apply with --instances (use --name-prefix and --base-ip)`);
    }
  }
  const count = integer(values.instances, '--instances', 1);
  if (count < 1 || count > MAX_INSTANCES) throw new UsageError(`--instances must be between 1 and ${MAX_INSTANCES}`);
  const baseIp = values['base-ip'] ?? FLEET_DEFAULTS.baseIp;
  try {
    consecutiveIPv4(baseIp, count);
  } catch (error) {
    throw new UsageError(`--base-ip: ${(error as Error).message}`);
  }
  const namePrefix = instanceName(values['name-prefix'] ?? FLEET_DEFAULTS.namePrefix, '--name-prefix');
  return { kind: 'fleet', count, options: { ...common, baseIp, namePrefix } };
}

function parseStrict(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        name: { type: 'string' },
        bind: { type: 'string' },
        port: { type: 'string' },
        'admin-port': { type: 'string' },
        'tick-ms': { type: 'string' },
        'max-connections': { type: 'string' },
        'close-timeout-ms': { type: 'string' },
        'shutdown-deadline-ms': { type: 'string' },
        'admin-token-file': { type: 'string' },
        instances: { type: 'string' },
        'base-ip': { type: 'string' },
        'name-prefix': { type: 'string' },
        'enable-faults': { type: 'boolean' },
        fault: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function integer(raw: string | undefined, flag: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw)) throw new UsageError(`${flag} must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}

function port(raw: string | undefined, flag: string, fallback: number): number {
  const value = integer(raw, flag, fallback);
  if (value > 65535) throw new UsageError(`${flag} must be between 0 and 65535, got ${value}`);
  return value;
}

// Names end up in JSON, headers and Prometheus output: keep them to DNS-label-like characters.
function instanceName(name: string, flag: string): string {
  if (!/^[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?$/.test(name)) {
    throw new UsageError(`${flag} must be 1–253 letters, digits, ".", "_" or "-", got "${name}"`);
  }
  return name;
}

function adminToken(file: string | undefined, env: Environment, readTextFile: (path: string) => string): string | undefined {
  if (file === undefined) return nonEmpty(env.CONDUIT_ADMIN_TOKEN);
  let text: string;
  try {
    text = readTextFile(file);
  } catch (error) {
    throw new UsageError(`cannot read --admin-token-file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const token = text.trim();
  if (token === '') throw new UsageError(`--admin-token-file ${file} is empty`);
  return token;
}

function faults(flags: readonly string[], enabled: boolean): FaultPatch {
  if (flags.length > 0 && !enabled) throw new UsageError('--fault needs --enable-faults');
  try {
    return flags.reduce<FaultPatch>((patch, flag) => ({ ...patch, ...parseFaultFlag(flag) }), {});
  } catch (error) {
    if (error instanceof FaultSpecError) throw new UsageError(`--fault: ${error.message}`);
    throw error;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
