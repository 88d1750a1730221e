import { Command } from '../../cli/commander.js';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Factory } from '../../cli/factory.js';
import { durationFlag, integerFlag } from '../../cli/flags.js';
import { openSession } from '../../cli/session.js';
import { UsageError } from '../../ops/errors.js';
import type { RunCommand } from '../shared/index.js';
import type { SandboxDemoOptions } from './demo.js';
import { addSandboxExamples } from './examples.js';

export interface SandboxUpOptions {
  stateDir: string;
  /** Given with --state-dir or $CONDUIT_SANDBOX_DIR (then `down` needs it too). */
  stateDirGiven: boolean;
  podCidr: string;
  serviceCidr: string;
  apiPort: number;
  apiAddress: string;
  replicas: number;
  inProcess: boolean;
  timeoutMs: number;
}

const DEFAULT_POD_CIDR = '127.0.100.0/24';
const DEFAULT_SERVICE_CIDR = '127.0.101.0/24';
const podCidrHelp = `loopback range for pod IPs (default: $CONDUIT_SANDBOX_POD_CIDR, else ${DEFAULT_POD_CIDR})`;
const serviceCidrHelp = `loopback range for Service cluster IPs (default: $CONDUIT_SANDBOX_SERVICE_CIDR, else ${DEFAULT_SERVICE_CIDR})`;
const CIDR = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}\/\d{1,2}$/;

function stateDirOf(f: Factory, flags: Record<string, unknown>): string {
  const given = (flags.stateDir as string | undefined) ?? f.env.CONDUIT_SANDBOX_DIR;
  if (given) return given;
  return join(f.env.HOME || homedir(), '.conduitctl', 'sandbox');
}

const RANGES = {
  pod: { flag: 'podCidr', env: 'CONDUIT_SANDBOX_POD_CIDR', fallback: DEFAULT_POD_CIDR },
  service: { flag: 'serviceCidr', env: 'CONDUIT_SANDBOX_SERVICE_CIDR', fallback: DEFAULT_SERVICE_CIDR },
} as const;

/** `--pod-cidr` / `--service-cidr`: the flag, else the environment (a runbook's `sandbox up` then runs as written in a test's own range), else the default. */
function rangeOf(f: Factory, flags: Record<string, unknown>, which: keyof typeof RANGES): string {
  const { flag, env, fallback } = RANGES[which];
  const given = flags[flag] as string | undefined;
  if (given !== undefined) return cidrFlag(`--${which}-cidr`, given);
  const fromEnv = f.env[env];
  return fromEnv ? cidrFlag(`$${env}`, fromEnv) : fallback;
}

function ipFlag(name: string, value: string): string {
  if (isIP(value) === 0) throw new UsageError(`${name}: "${value}" is not an IP address`);
  return value;
}

function cidrFlag(name: string, value: string): string {
  if (!CIDR.test(value)) throw new UsageError(`${name}: "${value}" must be a loopback CIDR such as 127.0.100.0/24`);
  return value;
}

/** The run functions of the sandbox's subcommands (tests pass their own). */
export interface SandboxRunners {
  up: RunCommand<SandboxUpOptions>;
  down: RunCommand<string>;
  status: RunCommand<string>;
  demo: RunCommand<SandboxDemoOptions>;
}

export function defineSandboxCommand(f: Factory, runners: Partial<SandboxRunners> = {}): Command {
  const stateDirHelp = 'where the sandbox keeps its state (default: $CONDUIT_SANDBOX_DIR, else ~/.conduitctl/sandbox)';
  const up = new Command('up')
    .summary('start the sandbox in the background')
    .description(
      'Start kube-sim (a local Kubernetes API), a 3-replica Conduit StatefulSet of reference gateways ' +
        '(each a real process on its own 127.0.x.y address), a Service with ClientIP affinity and a ' +
        'PodDisruptionBudget, and write a kubeconfig for them. Returns when every pod is Ready. ' +
        'Running it again while the sandbox runs only says so.',
    )
    .option('--state-dir <dir>', stateDirHelp)
    .option('--replicas <n>', 'replicas of the Conduit StatefulSet', '3')
    .option('--pod-cidr <cidr>', podCidrHelp)
    .option('--service-cidr <cidr>', serviceCidrHelp)
    .option('--api-port <port>', 'port of the Kubernetes API (0: any free port)', '0')
    .option('--api-address <ip>', 'address the Kubernetes API binds (and the kubeconfig and TLS certificate name)', '127.0.0.1')
    .option('--in-process', 'run every gateway inside the sandbox process (for hundreds of pods)')
    .option('--timeout <duration>', 'how long to wait for the pods to be Ready', '30s')
    .action(async (flags: Record<string, string | boolean | undefined>, cmd: Command) => {
      const session = openSession(f, cmd);
      const options: SandboxUpOptions = {
        stateDir: stateDirOf(f, flags),
        stateDirGiven: !!(flags.stateDir ?? f.env.CONDUIT_SANDBOX_DIR),
        podCidr: rangeOf(f, flags, 'pod'),
        serviceCidr: rangeOf(f, flags, 'service'),
        apiPort: integerFlag('--api-port', flags.apiPort as string, { min: 0, max: 65535 }),
        apiAddress: ipFlag('--api-address', flags.apiAddress as string),
        replicas: integerFlag('--replicas', flags.replicas as string, { min: 0, max: 1000 }),
        inProcess: !!flags.inProcess,
        timeoutMs: durationFlag('--timeout', flags.timeout as string),
      };
      const run = runners.up ?? (await import('./run.js')).runSandboxUp;
      await run(session, options);
    });
  const down = new Command('down')
    .summary('stop the sandbox and remove its state')
    .description('Stop the sandbox process and every pod process it started, then remove its state files. Safe to run when nothing runs.')
    .option('--state-dir <dir>', stateDirHelp)
    .action(async (flags: Record<string, string | undefined>, cmd: Command) => {
      const session = openSession(f, cmd);
      const run = runners.down ?? (await import('./run.js')).runSandboxDown;
      await run(session, stateDirOf(f, flags));
    });
  const status = new Command('status')
    .summary('say whether the sandbox runs, where, and its pods')
    .option('--state-dir <dir>', stateDirHelp)
    .action(async (flags: Record<string, string | undefined>, cmd: Command) => {
      const session = openSession(f, cmd);
      const run = runners.status ?? (await import('./run.js')).runSandboxStatus;
      await run(session, stateDirOf(f, flags));
    });
  const demo = new Command('demo')
    .summary('rehearse a rollout day on the sandbox, judged by a probe, step by step')
    .description(
      'Run the whole runbook against the sandbox in about a minute, printing each command as an operator ' +
        'would type it: status → verify-sticky on the Service → a probe attached to the Service → scale 3 → 2 ' +
        '--migrate while conduit-2 holds clients → scale back to 3 → rebalance → a rolling restart (each ' +
        "pod's preStop moves its clients) → the probe's verdict, which must be PASS with 0 silent drops. " +
        'Starts the sandbox when none runs, and stops it afterwards unless --keep. Exit 0 on PASS, 1 otherwise.',
    )
    .option('--state-dir <dir>', stateDirHelp)
    .option('--keep', 'leave a sandbox this demo started running')
    .option('--pod-cidr <cidr>', `${podCidrHelp}, when the demo starts the sandbox`)
    .option('--service-cidr <cidr>', `${serviceCidrHelp}, when the demo starts the sandbox`)
    .option('--client-ips <range>', "source addresses of the verify-sticky clients and of the probe's connections", '127.0.102-107.1')
    .action(async (flags: Record<string, string | boolean | undefined>, cmd: Command) => {
      const session = openSession(f, cmd);
      const stateDir = stateDirOf(f, flags);
      const stateDirArgs = flags.stateDir ? ['--state-dir', stateDir] : [];
      const upArgs = [...stateDirArgs, '--pod-cidr', rangeOf(f, flags, 'pod'), '--service-cidr', rangeOf(f, flags, 'service')];
      const run = runners.demo ?? (await import('./demo.js')).runSandboxDemo;
      await session.runAndClose(() => run(session, { stateDir, upArgs, downArgs: stateDirArgs, stickySourceIps: flags.clientIps as string, keep: !!flags.keep }));
    });
  addSandboxExamples(f, { up, down, status, demo });
  return new Command('sandbox')
    .summary('a local cluster with a Conduit fleet to try every command on')
    .description('A Kubernetes API (kube-sim) with a Conduit StatefulSet of real gateway processes on loopback addresses, so every command works on a laptop with no cluster.')
    .addCommand(up)
    .addCommand(down)
    .addCommand(status)
    .addCommand(demo)
    .addHelpText(
      'after',
      `
Examples:
  # rehearse the scale-down runbook from start to end
  ${f.programName} sandbox demo

  # start it, then use it with ${f.programName} and kubectl
  ${f.programName} sandbox up
  export KUBECONFIG=~/.conduitctl/sandbox/kubeconfig
  ${f.programName} status sts/conduit -n conduit

  # the Kubernetes API on a fixed address and port
  ${f.programName} sandbox up --api-address 127.0.42.1 --api-port 6443

  # stop it and remove its state
  ${f.programName} sandbox down`,
    );
}
