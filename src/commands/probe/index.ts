import { Command } from '../../cli/commander.js';
import type { Factory } from '../../cli/factory.js';
import { durationFlag, integerFlag } from '../../cli/flags.js';
import { openSession } from '../../cli/session.js';
import { UsageError } from '../../ops/errors.js';
import type { RunCommand } from '../shared/index.js';
import type { ProbeProtocol } from '../../ops/ports/index.js';
import type { ProbeBound, ProbeThresholds } from '../../ops/probe/options.js';
import { parseSourceIps } from '../shared/source-ips.js';
import { connectRateFlag, fieldPathFlag, headersFlag, probeUrl, rolloutTarget, subprotocolsFlag } from './flags.js';

export interface ProbeCommandOptions {
  url: string;
  connections: number;
  connectRatePerSecond: number;
  headers: Record<string, string>;
  subprotocols: string[];
  cookies: boolean;
  sourceAddresses: string[];
  caFile?: string;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  handshakeTimeoutMs: number;
  protocol: ProbeProtocol;
  bound: ProbeBound;
  settleMs: number;
  thresholds: ProbeThresholds;
}

type Flags = Record<string, string | string[] | boolean | undefined>;

const collect = (value: string, previous: string[]) => [...previous, value];
const MAX_CONNECTIONS = 200_000;

function readBound(flags: Flags, command: string[]): ProbeBound {
  const given = [flags.duration !== undefined && '--duration', flags.rollout !== undefined && '--rollout', command.length > 0 && '-- COMMAND', flags.untilStopped === true && '--until-stopped'].filter(Boolean);
  if (given.length === 0) throw new UsageError('say how long to probe: --duration D, --rollout sts/NAME, -- COMMAND ARGS, or --until-stopped', 'for example: --duration 60s');
  if (given.length > 1) throw new UsageError(`${given.join(' and ')} cannot be used together: give one bound`);
  if (flags.restart && flags.rollout === undefined) throw new UsageError('--restart restarts the StatefulSet named by --rollout sts/NAME');
  if (flags.timeout !== undefined && flags.rollout === undefined) throw new UsageError('--timeout bounds the wait for a rollout (--rollout sts/NAME); use --duration otherwise');
  if (flags.untilStopped) return { kind: 'until-stopped' };
  if (flags.duration !== undefined) return { kind: 'duration', durationMs: durationFlag('--duration', flags.duration as string) };
  if (flags.rollout !== undefined) {
    return { kind: 'rollout', statefulSet: rolloutTarget(flags.rollout as string), restart: !!flags.restart, timeoutMs: durationFlag('--timeout', (flags.timeout as string | undefined) ?? '5m') };
  }
  return { kind: 'command', argv: command };
}

function readOptions(url: string, command: string[], flags: Flags): ProbeCommandOptions {
  const pingIntervalMs = durationFlag('--ping-interval', flags.pingInterval as string);
  const pingTimeoutMs = durationFlag('--ping-timeout', flags.pingTimeout as string);
  return {
    url: probeUrl(url),
    connections: integerFlag('--connections', flags.connections as string, { min: 1, max: MAX_CONNECTIONS }),
    connectRatePerSecond: connectRateFlag(flags.connectRate as string),
    headers: headersFlag(flags.header as string[]),
    subprotocols: subprotocolsFlag(flags.subprotocol as string[]),
    cookies: flags.cookies !== false,
    sourceAddresses: flags.sourceIps === undefined ? [] : parseSourceIps(flags.sourceIps as string),
    caFile: flags.caFile as string | undefined,
    pingIntervalMs,
    pingTimeoutMs,
    handshakeTimeoutMs: durationFlag('--connect-timeout', flags.connectTimeout as string),
    protocol: {
      instanceField: fieldPathFlag('--instance-field', flags.instanceField as string),
      seqField: fieldPathFlag('--seq-field', flags.seqField as string),
      noticeField: fieldPathFlag('--notice-field', flags.noticeField as string),
      migratingValue: flags.migratingValue as string,
      endpointField: fieldPathFlag('--endpoint-field', flags.endpointField as string),
      reconnectAfterField: fieldPathFlag('--reconnect-after-field', flags.reconnectAfterField as string),
      notices: flags.notices !== false,
    },
    bound: readBound(flags, command),
    settleMs: durationFlag('--settle', flags.settle as string, { allowZero: true }),
    thresholds: {
      maxSilent: integerFlag('--max-silent', flags.maxSilent as string, { min: 0 }),
      maxGap: integerFlag('--max-gap', flags.maxGap as string, { min: 0 }),
      maxReconnectP99Ms: flags.maxReconnectP99 === undefined ? null : durationFlag('--max-reconnect-p99', flags.maxReconnectP99 as string),
    },
  };
}

export function defineProbeCommand(f: Factory, runF?: RunCommand<ProbeCommandOptions>): Command {
  return new Command('probe')
    .summary('hold N WebSocket connections through a rollout and count every silent drop')
    .usage('URL (--duration D | --rollout sts/NAME [--restart] | -- COMMAND [ARGS…] | --until-stopped) [options]')
    .description(
      'Open --connections WebSocket connections to URL (a load balancer, a Service or one gateway) at ' +
        '--connect-rate, and keep them the way real clients do: pings every --ping-interval, a reconnect ' +
        'after every close (to the new endpoint after a `migrating` notice, with jittered back-off ' +
        'otherwise), a cookie jar each. Meanwhile a bound runs: --duration D; --rollout sts/NAME, watched ' +
        'until every replica is Ready on the update revision (with --restart, started the way `kubectl ' +
        'rollout restart` does); -- COMMAND, run until it exits (its output goes to stderr); or ' +
        '--until-stopped, until Ctrl-C or SIGTERM (a probe attached in a second terminal for a whole ' +
        'maintenance: stopping it is the bound, so it then settles, judges and exits 0 or 1). Then ' +
        '--settle waits for every connection to be back.\n\n' +
        'A silent drop is a close the client was not told about: a 1006, a reset, a ping timeout, or a ' +
        'close with no notice before it (with --no-notices only the first three). The report counts ' +
        'closes by code, clean and silent, silent drops per instance, missing sequence numbers (gaps), ' +
        'reconnect time p50/p95/p99/max, the spread over instances before and after, and a per-second ' +
        'timeline.\n\n' +
        'Exit codes: 0 PASS; 1 FAIL (a threshold crossed, a connection never opened or not back, the ' +
        'command failed, the URL refused every connection); 2 usage; 3 not allowed (RBAC), nothing ' +
        'changed; 4 the rollout did not complete by --timeout; 130 interrupted (the report is still printed; ' +
        'with --until-stopped only before the connections opened, or by a second Ctrl-C).',
    )
    .argument('<url>', 'ws:// or wss:// URL, e.g. ws://lb.example.com/v1/subscribe (http(s) is taken as ws(s))')
    .argument('[command...]', 'after --: a program to run while probing')
    .option('--connections <n>', 'connections to hold', '100')
    .option('--connect-rate <rate>', 'new connections per second, first ones and reconnects alike (500/s, 30/m)', '500/s')
    .option('-H, --header <header>', 'a request header "Name: value" (repeatable; values are never printed)', collect, [])
    .option('--subprotocol <name>', 'a WebSocket subprotocol to offer (repeatable)', collect, [])
    .option('--no-cookies', 'keep no cookie jar (a cookie-sticky balancer then spreads every reconnect)')
    .option('--source-ips <range>', 'bind connection i to the i-th address: a list, 127.0.0.20-127.0.0.40, or 127.0.1-20.1')
    .option('--ca-file <path>', 'PEM file of the CA that signs the gateway’s certificate (wss://)')
    .option('--ping-interval <duration>', 'ping each connection this often', '5s')
    .option('--ping-timeout <duration>', 'a pong later than this is a silent drop', '10s')
    .option('--connect-timeout <duration>', 'time for one handshake and hello', '10s')
    .option('--duration <duration>', 'bound: probe this long once every connection is open')
    .option('--rollout <sts/NAME>', 'bound: watch this StatefulSet until its rollout is complete')
    .option('--restart', 'with --rollout: restart it first, as `kubectl rollout restart` does')
    .option('--until-stopped', 'bound: probe until Ctrl-C or SIGTERM, then settle and judge')
    .option('--timeout <duration>', 'with --rollout: give up after this long (exit 4)')
    .option('--settle <duration>', 'after the bound: wait at most this long for every connection to be back', '10s')
    .option('--max-silent <n>', 'silent drops allowed', '0')
    .option('--max-gap <n>', 'missing sequence numbers allowed', '0')
    .option('--max-reconnect-p99 <duration>', 'fail when the p99 close → next hello is above this')
    .option('--instance-field <path>', 'field of the hello naming the instance', 'instance')
    .option('--seq-field <path>', 'field carrying a message’s sequence number', 'seq')
    .option('--notice-field <path>', 'a message with this field is a notice; its value is the kind', 'status')
    .option('--migrating-value <value>', 'the notice kind that means "reconnect elsewhere"', 'migrating')
    .option('--endpoint-field <path>', 'field of a migrating notice with the new endpoint', 'details.new_endpoint')
    .option('--reconnect-after-field <path>', 'field of a migrating notice with the delay in ms', 'details.reconnect_after')
    .option('--no-notices', 'the gateway sends no notices: only 1006, resets and ping timeouts are silent')
    .addHelpText(
      'after',
      `
Examples:
  # a rolling restart of the StatefulSet, 300 clients through its Service, spread over 30 source addresses
  ${f.programName} probe ws://conduit.conduit.svc:9088/v1/subscribe --connections 300 \\
      --source-ips 127.0.1-30.1 --rollout sts/conduit --restart

  # any rollout tool: probe until it exits, then 15 s more
  ${f.programName} probe wss://ws.example.com/v1/subscribe --connections 2000 --settle 15s -- helm upgrade conduit ./chart

  # attached in a second terminal for a whole maintenance; Ctrl-C ends it with the verdict
  ${f.programName} probe ws://conduit.conduit.svc:9088/v1/subscribe --connections 200 --source-ips 127.0.1-20.1 --until-stopped

  # ten minutes of steady state, failing on any gap or a slow reconnect, as JSON
  ${f.programName} probe ws://lb:8080/v1/subscribe --duration 10m --max-reconnect-p99 2s -o json

  # a gateway that names itself in "serverId" and sends no notices
  ${f.programName} probe ws://api.example.com/ws --instance-field serverId --no-notices --duration 1m`,
    )
    .action(async (url: string, command: string[], flags: Flags, cmd: Command) => {
      const session = openSession(f, cmd);
      const options = readOptions(url, command, flags);
      const run = runF ?? (await import('./run.js')).runProbeCommand;
      await run(session, options);
    });
}
