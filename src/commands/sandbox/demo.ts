// `conduitctl sandbox demo`: rehearse the scale-down runbook on the sandbox. Every step runs the
// real CLI as its own process and is printed as the command an operator would type.
import { spawn } from 'node:child_process';
import type { Session } from '../../cli/session.js';
import { VerificationError } from '../../ops/errors.js';
import type { ClientSwarm } from '../../probe/client-swarm.js';
import { note } from '../../ui/notes.js';
import { isDaemonAlive, readState, type SandboxState } from './daemon.js';
import { probeScaleDown, probeVerdictLine } from './demo-probe.js';

const CLIENTS_PER_POD = 8;
const PROBE_CONNECTIONS = 8;
const PUBLIC_PORT = 9088;

export interface SandboxDemoOptions {
  stateDir: string;
  /** Extra `sandbox up` flags (--state-dir, address ranges) passed through. */
  upArgs: string[];
  /** `sandbox down` flags. */
  downArgs: string[];
  /** Source addresses for verify-sticky, one per client; they differ in the third octet. */
  stickySourceIps: string;
  keep: boolean;
}

interface Step {
  args: string[];
  /** Exit codes that are the expected outcome of this step. */
  expect?: number[];
}

function runStep(session: Session, kubeconfig: string, { args, expect = [0] }: Step): Promise<number> {
  const { io, factory } = session;
  io.out.write(`\n$ ${factory.programName} ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [factory.installation.cliEntry, ...args], {
      env: { ...factory.env, KUBECONFIG: kubeconfig },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== null && expect.includes(code)) resolve(code);
      else reject(new VerificationError(`the step "${args.join(' ')}" exited with ${code}`));
    });
  });
}

async function runningState(stateDir: string): Promise<SandboxState | undefined> {
  const state = await readState(stateDir);
  return state && isDaemonAlive(state.pid) && state.status === 'ready' ? state : undefined;
}

export async function runSandboxDemo(session: Session, options: SandboxDemoOptions): Promise<void> {
  const { io } = session;
  const say = (text: string) => io.out.write(`\n# ${text}\n`);
  let state = await runningState(options.stateDir);
  const startedHere = !state;
  const step = (args: string[], expect?: number[]) => runStep(session, state?.kubeconfigPath ?? '', { args, expect });
  if (!state) {
    say('Start the sandbox: kube-sim, a 3-replica Conduit StatefulSet of real gateway processes, a sticky Service.');
    await step(['sandbox', 'up', ...options.upArgs]);
    state = await runningState(options.stateDir);
    if (!state?.kubeconfigPath) throw new VerificationError('the sandbox did not come up');
  }
  const ns = ['-n', state.namespace ?? 'conduit'];
  const { openSwarm } = await import('../../probe/client-swarm.js');
  let swarm: ClientSwarm | undefined;
  try {
    say('1. Where are we? One row per gateway: health and live connections.');
    await step(['status', 'sts/conduit', ...ns]);

    if (state.service) {
      const url = `http://${state.service.clusterIP}:${state.service.port}`;
      say('2. Is the Service sticky? Six clients from six source addresses, a fresh connection per request.');
      await step(['verify-sticky', url, '--source-ips', options.stickySourceIps, '--requests', '10', '--expect-instances', '3', '--tolerance', '100%']);
    }

    const pods = state.pods.filter((p) => p.ip);
    const reconnectUrl = state.service ? `ws://${state.service.clusterIP}:${state.service.port}/v1/subscribe` : `ws://${pods[0]!.ip}:${PUBLIC_PORT}/v1/subscribe`;
    swarm = await openSwarm(pods.map((p) => `ws://${p.ip}:${PUBLIC_PORT}/v1/subscribe`), CLIENTS_PER_POD, reconnectUrl);
    say(`3. ${swarm.clients().length} WebSocket clients are connected, ${CLIENTS_PER_POD} per pod.`);
    await step(['status', 'sts/conduit', ...ns]);

    say(
      '4. Scale 3 → 2 with a probe watching. conduit-2 still holds clients: scale --migrate drains it, tells its\n' +
        '#    clients to move (a migrating notice naming conduit-0/1, then 1012, reconnect within 0.5–1.5 s) and\n' +
        `#    removes it at a stable zero. The probe holds ${PROBE_CONNECTIONS} more connections to conduit-2 and counts how each ended.`,
    );
    const victim = pods.find((p) => p.name === 'conduit-2');
    if (!victim?.ip) throw new VerificationError('the sandbox has no conduit-2 pod with an address');
    const report = await probeScaleDown(session, {
      kubeconfig: state.kubeconfigPath ?? '',
      victimUrl: `ws://${victim.ip}:${PUBLIC_PORT}/v1/subscribe`,
      connections: PROBE_CONNECTIONS,
      scaleArgs: ['scale', 'sts/conduit', '--replicas', '2', '--migrate', '--reconnect-after', '500ms-1500ms', '--min-drain-time', '3s', ...ns],
    });
    say(probeVerdictLine(report, 'conduit-2'));
    if (report.verdict !== 'PASS') throw new VerificationError(`the probe's verdict is ${report.verdict}: ${report.reasons.join('; ')}`);

    say('5. Two pods left; every client is still connected.');
    await step(['status', 'sts/conduit', ...ns]);

    say('6. Scale back to 3 (up: patch, then wait until the new pod is Ready).');
    await step(['scale', 'sts/conduit', '--replicas', '3', ...ns]);
    say(`Done: nothing was removed while it held connections, and the probe measured ${report.closes.silent} silent drops in ${report.closes.total} closes.`);
  } finally {
    await swarm?.close();
    if (startedHere && !options.keep) {
      note(io, '');
      await step(['sandbox', 'down', ...options.downArgs]).catch(() => undefined);
    }
  }
}
