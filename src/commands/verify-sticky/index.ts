import { Command, Option } from '../../cli/commander.js';
import type { Factory } from '../../cli/factory.js';
import { durationFlag, fractionFlag, integerFlag } from '../../cli/flags.js';
import { openSession } from '../../cli/session.js';
import type { RunCommand } from '../shared/index.js';
import { UsageError } from '../../ops/errors.js';
import { MAX_SOURCE_IPS, parseSourceIps } from '../shared/source-ips.js';
import { pathFlag, sampledUrl } from './target-url.js';

export interface VerifyStickyCommandOptions {
  /** The exact URL sampled: URL + --path, or the ws(s) URL + --ws-path. */
  url: string;
  websocket: boolean;
  requests: number;
  clients: number;
  sourceAddresses: string[];
  cookies: boolean;
  showCookieValues: boolean;
  reuseConnections: boolean;
  instanceFrom: { kind: 'json-field'; path: string } | { kind: 'header'; name: string };
  tolerance: number;
  expectedInstances?: number;
  timeoutMs?: number;
  concurrency: number;
}

type Flags = Record<string, string | boolean | undefined>;

/** `pathGiven`: --path / --ws-path was on the command line (not its default). */
function readOptions(base: string, flags: Flags, pathGiven: boolean): VerifyStickyCommandOptions {
  const websocket = !!flags.ws;
  if (websocket && flags.reuseConnections) throw new UsageError('--ws and --reuse-connections cannot be used together: every WebSocket upgrade is its own connection');
  if (flags.instanceField !== undefined && flags.instanceHeader !== undefined) throw new UsageError('--instance-field and --instance-header cannot be used together');
  const instanceHeader = flags.instanceHeader as string | undefined;
  if (instanceHeader !== undefined && !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(instanceHeader)) throw new UsageError(`--instance-header: "${instanceHeader}" is not a header name`);
  const instanceField = (flags.instanceField as string | undefined) ?? 'instance';
  if (!/^[^.\s]+(\.[^.\s]+)*$/.test(instanceField)) throw new UsageError(`--instance-field: "${instanceField}" is not a dotted field path such as instance or meta.serverId`);

  const sourceAddresses = flags.sourceIps === undefined ? [] : parseSourceIps(flags.sourceIps as string);
  const clients =
    flags.clients === undefined ? Math.max(1, sourceAddresses.length) : integerFlag('--clients', flags.clients as string, { min: 1, max: MAX_SOURCE_IPS });
  const path = websocket ? pathFlag('--ws-path', flags.wsPath as string) : pathFlag('--path', flags.path as string);
  return {
    url: sampledUrl(base, path, websocket, pathGiven),
    websocket,
    requests: integerFlag('--requests', flags.requests as string, { min: 2, max: 100_000 }),
    clients,
    sourceAddresses,
    cookies: flags.cookies !== false,
    showCookieValues: flags.showCookieValues === true,
    reuseConnections: !!flags.reuseConnections,
    instanceFrom: instanceHeader !== undefined ? { kind: 'header', name: instanceHeader } : { kind: 'json-field', path: instanceField },
    tolerance: fractionFlag('--tolerance', flags.tolerance as string),
    expectedInstances: flags.expectInstances === undefined ? undefined : integerFlag('--expect-instances', flags.expectInstances as string, { min: 1, max: 10_000 }),
    timeoutMs: flags.timeout === undefined ? undefined : durationFlag('--timeout', flags.timeout as string),
    concurrency: integerFlag('--concurrency', flags.concurrency as string, { min: 1, max: 1024 }),
  };
}

export function defineVerifyStickyCommand(f: Factory, runF?: RunCommand<VerifyStickyCommandOptions>): Command {
  return new Command('verify-sticky')
    .summary('prove that every client stays on one instance while clients spread over the fleet')
    .description(
      'Send --requests requests to URL/health as one client with a cookie jar, each on a fresh TCP ' +
        'connection (so an IP-hash balancer is tested honestly), and record which instance answered. ' +
        '--clients K runs K independent clients (own cookie jars; with --source-ips each binds its own ' +
        'local address, for IP-hash and ClientIP affinity). The report shows each client’s instances, ' +
        'the spread over the fleet and its skew, the affinity cookie found (SERVERID, route, AWSALB…) ' +
        'and every fault with its count (unreachable, 503 draining, redirects, answers without the ' +
        'instance field); a fault never counts as an instance.\n\n' +
        'Verdicts: STICKY (exit 0); NOT STICKY names the client that moved and the request (exit 1); ' +
        'UNEVEN: every client pinned, but the skew is above --tolerance (exit 1); INCONCLUSIVE: faults ' +
        'left a client with fewer than 2 answers (exit 1).',
    )
    .argument('<url>', 'the load balancer, e.g. http://lb.example.com:8080')
    .option('--requests <n>', 'requests per client (at least 2)', '20')
    .option('--clients <k>', 'independent clients (default: one per --source-ips address, else 1)')
    .option('--source-ips <range>', 'bind client i to the i-th address: a list, 127.0.0.20-127.0.0.40, or 127.0.1-20.1')
    .option('--path <path>', 'the path requested', '/health')
    .option('--instance-field <path>', 'dotted JSON field naming the instance (default instance; serverId for reference 004)')
    .option('--instance-header <name>', 'read the instance from this response header instead (e.g. X-Conduit-Instance)')
    .option('--ws', 'sample through WebSocket upgrades: the instance from the first (hello) message')
    .option('--ws-path <path>', 'WebSocket path with --ws', '/v1/subscribe')
    .option('--no-cookies', 'send no cookies back: shows what cookie-less clients get')
    .option('--show-cookie-values', 'print cookie values (a session cookie is a credential: by default only a short fingerprint)')
    .option('--reuse-connections', 'one keep-alive connection per client instead of a fresh one per request')
    .option('--tolerance <percent>', 'allowed skew of clients per instance above the mean', '20%')
    .option('--expect-instances <n>', 'fleet size: instances no client reached count as empty in the skew')
    .addOption(new Option('--timeout <duration>', 'timeout of each request (default: --request-timeout, 5s)'))
    .option('--concurrency <n>', 'requests in flight at once (each client’s own requests stay sequential)', '32')
    .addHelpText(
      'after',
      `
Examples:
  # HAProxy with cookie SERVERID insert: one client, 30 fresh connections
  ${f.programName} verify-sticky http://lb.example.com --requests 30

  # nginx ip_hash: 20 clients whose addresses differ in the third octet
  ${f.programName} verify-sticky http://127.0.0.1:8080 --source-ips 127.0.1-20.1

  # a gateway that names itself in "serverId" (reference 004), as JSON
  ${f.programName} verify-sticky http://api.example.com --instance-field serverId -o json

  # the same through WebSocket upgrades
  ${f.programName} verify-sticky https://ws.example.com --ws --clients 12`,
    )
    .action(async (url: string, flags: Flags, cmd: Command) => {
      const session = openSession(f, cmd);
      const pathGiven = cmd.getOptionValueSource(flags.ws ? 'wsPath' : 'path') !== 'default';
      const options = readOptions(url, flags, pathGiven);
      const run = runF ?? (await import('./run.js')).runVerifySticky;
      await run(session, options);
    });
}
