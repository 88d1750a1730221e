import { Option, type Command } from 'commander';
import type { OutputFormat, PrintFlags } from '../ui/iostreams.js';
import { parseDuration } from '../util/duration.js';
import { UsageError } from '../ops/errors.js';
import { integerFlag } from './flags.js';

/** The kubectl-style flags every command takes (DESIGN.md §1). */
export interface GlobalOptions extends PrintFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  fleetFile?: string;
  instances?: string[];
  adminTokenFile?: string;
  requestTimeoutMs: number;
  insecureSkipTlsVerify: boolean;
  via: 'auto' | 'proxy' | 'direct';
  /** kubectl's overrides of the kubeconfig context. */
  cluster?: string;
  user?: string;
  server?: string;
  token?: string;
  as?: string;
  asGroup?: string;
}

export const OUTPUT_FORMATS: OutputFormat[] = ['table', 'wide', 'json', 'yaml'];

export function addGlobalOptions(program: Command): Command {
  return program
    .option('--kubeconfig <path>', 'path to the kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('-n, --namespace <name>', 'namespace (default: the context’s namespace)')
    .option('--fleet <file>', 'a YAML list of instances, for fleets that are not on Kubernetes')
    .option('--instances <urls>', 'comma-separated admin URLs (name=URL allowed) instead of a fleet file')
    .option('--admin-token-file <path>', 'file holding the gateway admin token (default: $CONDUIT_ADMIN_TOKEN)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .option('--request-timeout <duration>', 'timeout of each HTTP request to a gateway or the API server', '5s')
    .addOption(new Option('--via <transport>', 'reach gateways through the API server proxy or directly by pod IP').choices(['auto', 'proxy', 'direct']).default('auto'))
    .option('--insecure-skip-tls-verify', 'do not verify TLS certificates (prints a warning)')
    .option('--no-color', 'never colour output (NO_COLOR is honoured too)')
    .option('-q, --quiet', 'print only results and errors')
    .option('-v, --verbose', 'more detail on stderr (repeatable); secrets are never printed', (_v, n: number) => n + 1, 0)
    .option('--v <level>', "kubectl's log level, also -v=N: 6 prints each API call, 8 the request bodies (secrets never)")
    .option('--cluster <name>', 'kubeconfig cluster to use instead of the context’s')
    .option('--user <name>', 'kubeconfig user to use instead of the context’s')
    .option('--server <url>', 'address of the Kubernetes API server')
    .option('--token <token>', 'bearer token for the API server (never printed)')
    .option('--as <user>', 'user to impersonate for the Kubernetes API')
    .option('--as-group <group>', 'group to impersonate, with --as (one group)', (value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
}

interface RawGlobals {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  fleet?: string;
  instances?: string;
  adminTokenFile?: string;
  output: OutputFormat;
  requestTimeout: string;
  via: GlobalOptions['via'];
  insecureSkipTlsVerify?: boolean;
  color: boolean;
  quiet?: boolean;
  verbose: number;
  v?: string;
  cluster?: string;
  user?: string;
  server?: string;
  token?: string;
  as?: string;
  asGroup?: string[];
}

export function readGlobals(command: Command): GlobalOptions {
  const raw = command.optsWithGlobals() as RawGlobals;
  if (raw.fleet && raw.instances) throw new UsageError('--fleet and --instances cannot be used together');
  let requestTimeoutMs: number;
  try {
    requestTimeoutMs = parseDuration(raw.requestTimeout);
  } catch (error) {
    throw new UsageError(`--request-timeout: ${(error as Error).message}`);
  }
  return {
    kubeconfig: raw.kubeconfig,
    context: raw.context,
    namespace: raw.namespace,
    fleetFile: raw.fleet,
    instances: raw.instances?.split(',').map((s) => s.trim()).filter(Boolean),
    adminTokenFile: raw.adminTokenFile,
    output: raw.output,
    requestTimeoutMs,
    via: raw.via,
    insecureSkipTlsVerify: !!raw.insecureSkipTlsVerify,
    color: raw.color,
    quiet: !!raw.quiet,
    verbosity: Math.max(raw.verbose, raw.v === undefined ? 0 : integerFlag('--v', raw.v, { min: 0, max: 10 })),
    ...definedOnly({ cluster: raw.cluster, user: raw.user, server: raw.server, token: raw.token, as: raw.as }),
    ...(raw.asGroup ? { asGroup: oneGroup(raw.asGroup) } : {}),
  };
}

function definedOnly<T extends Record<string, string | undefined>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Impersonate-Group carries one group per header line; the client sends one header. */
function oneGroup(groups: string[]): string {
  if (groups.length > 1) throw new UsageError('--as-group: give one group (several are not supported yet)');
  return groups[0]!;
}
