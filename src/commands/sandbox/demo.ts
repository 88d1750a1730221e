// `conduitctl sandbox demo`: the rollout-day runbook on the sandbox, judged by a probe attached
// from the first change to the last. Every step runs a real program (the built CLI, kubectl) as
// its own process and is printed as the command an operator would type.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Session } from '../../cli/session.js';
import type { Env } from '../../cli/factory.js';
import { VerificationError } from '../../ops/errors.js';
import { note } from '../../ui/notes.js';
import { Deadline } from '../../util/deadline.js';
import { formatDuration } from '../../util/duration.js';
import { isDaemonAlive, readState, type SandboxState } from './daemon.js';
import { attachProbe, probeArgs, probeVerdictLine, type AttachedProbe } from './demo-probe.js';

const PROBE_CONNECTIONS = 60;
/** Fast enough for a demo; production keeps the default 5s-30s window (docs/commands/migrate.md). */
const DEMO_RECONNECT_WINDOW = ['--reconnect-after', '500ms-1500ms'];
const PROBE_OPEN_TIMEOUT_MS = 30_000;

export interface SandboxDemoOptions {
  stateDir: string;
  /** Extra `sandbox up` flags (--state-dir, address ranges) passed through. */
  upArgs: string[];
  /** `sandbox down` flags. */
  downArgs: string[];
  /** Source addresses of the verify-sticky clients and of the probe's connections. */
  stickySourceIps: string;
  keep: boolean;
}

export interface Step {
  /** `conduitctl` (this build) or another program on the PATH. */
  program: 'conduitctl' | 'kubectl';
  args: string[];
}

const cli = (...args: string[]): Step => ({ program: 'conduitctl', args });

/**
 * The rolling restart: kubectl's own two commands when kubectl is on the PATH; otherwise the probe
 * restarts the StatefulSet the same way (the `restartedAt` annotation) and waits for the rollout.
 */
export function rolloutSteps(hasKubectl: boolean, ns: string, serviceUrl: string, sourceIps: string): Step[] {
  if (hasKubectl) {
    return [
      { program: 'kubectl', args: ['rollout', 'restart', 'statefulset/conduit', '-n', ns] },
      { program: 'kubectl', args: ['rollout', 'status', 'statefulset/conduit', '-n', ns, '--timeout=120s'] },
    ];
  }
  return [cli('probe', serviceUrl, '--connections', '6', '--source-ips', sourceIps, '--rollout', 'sts/conduit', '--restart', '--timeout', '120s', '-n', ns)];
}

export function onPath(program: string, env: Env): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function runStep(session: Session, kubeconfig: string, step: Step): Promise<void> {
  const { io, factory } = session;
  io.out.write(`\n$ ${step.program === 'conduitctl' ? factory.programName : step.program} ${step.args.join(' ')}\n`);
  const [command, args] = step.program === 'conduitctl' ? [process.execPath, [factory.installation.cliEntry, ...step.args]] : [step.program, step.args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...factory.env, KUBECONFIG: kubeconfig }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new VerificationError(`the step "${step.program} ${step.args.join(' ')}" exited with ${code}`))));
  });
}

async function runningState(stateDir: string): Promise<SandboxState | undefined> {
  const state = await readState(stateDir);
  return state && isDaemonAlive(state.pid) && state.status === 'ready' ? state : undefined;
}

/** Until the sandbox's pods hold `count` connections in all, read through the gateway client, at most `timeoutMs`. */
async function untilConnected(session: Session, stateDir: string, count: number, timeoutMs: number): Promise<void> {
  const { clock, signal } = session.factory;
  const gateway = await session.localGateway();
  const deadline = new Deadline(clock, timeoutMs);
  for (;;) {
    // The state file follows the pods, so a pod restarted on another address is read there.
    const pods = (await readState(stateDir))?.pods ?? [];
    const counts = await Promise.all(pods.flatMap((pod) => (pod.ip ? [gateway.connections({ name: pod.name, address: pod.ip }, signal)] : [])));
    if (counts.reduce((sum, c) => sum + (c.known ? c.value : 0), 0) >= count) return;
    if (deadline.expired()) throw new VerificationError(`the probe's ${count} connections did not all open within ${formatDuration(timeoutMs)}`);
    await clock.sleep(Math.min(200, deadline.remaining()), signal);
  }
}

export async function runSandboxDemo(session: Session, options: SandboxDemoOptions): Promise<void> {
  const { io, factory } = session;
  const say = (text: string) => io.out.write(`\n# ${text}\n`);
  let state = await runningState(options.stateDir);
  const startedHere = !state;
  const step = (s: Step) => runStep(session, state?.kubeconfigPath ?? '', s);
  if (!state) {
    say('Start the sandbox: kube-sim, a 3-replica Conduit StatefulSet of real gateway processes, a sticky Service.');
    await step(cli('sandbox', 'up', ...options.upArgs));
    state = await runningState(options.stateDir);
    if (!state?.kubeconfigPath) throw new VerificationError('the sandbox did not come up');
  }
  if (!state.service) throw new VerificationError('the sandbox has no Service to attach the probe to');
  const namespace = state.namespace ?? 'conduit';
  const ns = ['-n', namespace];
  const { clusterIP, port } = state.service;
  const serviceUrl = `ws://${clusterIP}:${port}/v1/subscribe`;
  let probe: AttachedProbe | undefined;
  try {
    say('1. Where are we? One row per gateway: health and live connections.');
    await step(cli('status', 'sts/conduit', ...ns));

    say('2. Is the Service sticky? Six clients from six source addresses, a fresh connection per request.');
    await step(cli('verify-sticky', `http://${clusterIP}:${port}`, '--source-ips', options.stickySourceIps, '--requests', '10', '--expect-instances', '3', '--tolerance', '100%'));

    say(
      `3. Attach a probe to the Service for everything that follows, as in a second terminal: ${PROBE_CONNECTIONS} clients from the\n` +
        '#    same six addresses (ClientIP affinity puts each address on one pod). It follows every migrating notice,\n' +
        '#    counts every close, and judges them all when it is stopped.',
    );
    const attachment = { kubeconfig: state.kubeconfigPath ?? '', url: serviceUrl, connections: PROBE_CONNECTIONS, sourceIps: options.stickySourceIps };
    io.out.write(`\n$ ${factory.programName} ${probeArgs(attachment).join(' ')} &\n`);
    probe = attachProbe(session, attachment);
    await untilConnected(session, options.stateDir, PROBE_CONNECTIONS, PROBE_OPEN_TIMEOUT_MS);
    await step(cli('status', 'sts/conduit', ...ns));

    say(
      '4. Scale 3 → 2 while conduit-2 holds clients: it is drained, its clients are told to move to conduit-0/1\n' +
        '#    (a migrating notice, then 1012) in paced batches, and the pod is removed only at a stable zero.',
    );
    await step(cli('scale', 'sts/conduit', '--replicas', '2', '--migrate', ...DEMO_RECONNECT_WINDOW, '--min-drain-time', '3s', ...ns));

    say('5. Scale back to 3: patch, then wait until the new pod is Ready. The new conduit-2 starts empty.');
    await step(cli('scale', 'sts/conduit', '--replicas', '3', ...ns));

    say('6. Rebalance: move clients from the busiest pods to conduit-2 until the skew is within 20%, plan first.');
    await step(cli('rebalance', 'sts/conduit', ...DEMO_RECONNECT_WINDOW, ...ns));
    say('   The moved clients reconnect within 0.5–1.5 s; then:');
    await untilConnected(session, options.stateDir, PROBE_CONNECTIONS, PROBE_OPEN_TIMEOUT_MS);
    await step(cli('status', 'sts/conduit', ...ns));

    const hasKubectl = onPath('kubectl', factory.env);
    say(
      "7. A rolling restart: each pod's preStop hook runs `conduitctl drain --local --migrate`, which moves its clients\n" +
        `#    through the Service before the pod stops.${hasKubectl ? '' : " (kubectl is not on the PATH: the probe's --rollout --restart does what `kubectl rollout restart` does.)"}`,
    );
    for (const s of rolloutSteps(hasKubectl, namespace, serviceUrl, options.stickySourceIps)) await step(s);

    say('8. Every client is back, on the new pods. (The last pod restarted ends emptiest: its clients left through the Service.)');
    await untilConnected(session, options.stateDir, PROBE_CONNECTIONS, PROBE_OPEN_TIMEOUT_MS);
    await step(cli('status', 'sts/conduit', ...ns));

    say('9. Stop the probe (Ctrl-C in its terminal). Its verdict covers steps 4 to 7.');
    const report = await probe.stop();
    probe = undefined;
    say(probeVerdictLine(report));
    if (report.verdict !== 'PASS') throw new VerificationError(`the probe's verdict is ${report.verdict}: ${report.reasons.join('; ')}`);
    say(`Done: nothing was removed while it held connections, and the probe measured ${report.closes.silent} silent drops in ${report.closes.total} closes.`);
  } finally {
    probe?.kill();
    if (startedHere && !options.keep) {
      note(io, '');
      await step(cli('sandbox', 'down', ...options.downArgs)).catch(() => undefined);
    }
  }
}
