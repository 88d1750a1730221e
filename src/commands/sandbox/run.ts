import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '../../cli/session.js';
import { TimeoutError, UsageError, VerificationError } from '../../ops/errors.js';
import { writeReport } from '../../ui/report.js';
import { note } from '../../ui/notes.js';
import { formatDuration } from '../../util/duration.js';
import { isDaemonAlive, logTail, readState, removeState, signalGroup, spawnDaemon, type SandboxState } from './daemon.js';
import type { SandboxUpOptions } from './index.js';

const POLL_MS = 100;

/**
 * The sandbox is a test world run from the package's dist/sandbox; the single-file build
 * (dist/conduitctl.mjs, for gateway images) leaves it out, so there it is a usage error, not a crash.
 */
function requireSandboxProgram(distDir: string): void {
  if (existsSync(join(distDir, 'sandbox', 'main.js'))) return;
  throw new UsageError(
    `the sandbox is not part of this installation (no ${join(distDir, 'sandbox', 'main.js')})`,
    'run `conduitctl sandbox up` from the npm package or a checkout (npm run build); the single-file conduitctl.mjs has no sandbox',
  );
}
const STOP_GRACE_MS = 15_000;

export async function runSandboxUp(session: Session, options: SandboxUpOptions): Promise<void> {
  const { io, factory } = session;
  requireSandboxProgram(factory.installation.distDir);
  const existing = await readState(options.stateDir);
  if (existing && isDaemonAlive(existing.pid)) {
    note(io, `The sandbox already runs (pid ${existing.pid}, state in ${options.stateDir}).`);
    printUsage(session, existing, options);
    return;
  }
  if (existing) await removeState(options.stateDir); // a crashed run's leftovers
  await mkdir(options.stateDir, { recursive: true, mode: 0o700 });

  const args = ['--replicas', String(options.replicas), '--pod-cidr', options.podCidr, '--service-cidr', options.serviceCidr, '--api-port', String(options.apiPort), '--api-address', options.apiAddress];
  if (options.inProcess) args.push('--in-process');
  const daemon = spawnDaemon({ distDir: factory.installation.distDir, stateDir: options.stateDir, args, env: factory.env });
  const started = factory.clock.now();
  for (;;) {
    const state = await readState(options.stateDir);
    if (state?.status === 'ready' && state.pid === daemon.pid) {
      printUsage(session, state, options);
      return;
    }
    if (daemon.exited() !== undefined || !isDaemonAlive(daemon.pid)) {
      await removeState(options.stateDir).catch(() => undefined);
      throw new VerificationError(`the sandbox process exited before its pods were ready:\n${logTail(options.stateDir)}`);
    }
    if (factory.clock.now() - started > options.timeoutMs) {
      const tail = logTail(options.stateDir);
      signalGroup(daemon.pid, 'SIGKILL');
      await removeState(options.stateDir).catch(() => undefined);
      throw new TimeoutError(`the sandbox was not ready within ${formatDuration(options.timeoutMs)}; stopped it`, tail || undefined);
    }
    await factory.clock.sleep(POLL_MS, factory.signal);
  }
}

/** The machine report of `sandbox down` (people read the notes on stderr). */
type SandboxDownOutcome = 'stopped' | 'cleaned-up' | 'not-running';

export async function runSandboxDown(session: Session, stateDir: string): Promise<void> {
  const { io, factory } = session;
  const state = await readState(stateDir);
  let outcome: SandboxDownOutcome = 'not-running';
  if (state && isDaemonAlive(state.pid)) {
    outcome = 'stopped';
    // The daemon stops its pods itself (preStop skipped, SIGTERM, then SIGKILL); the group kill
    // afterwards only mops up a process it could not stop.
    process.kill(state.pid, 'SIGTERM');
    const started = factory.clock.now();
    while (isDaemonAlive(state.pid) && factory.clock.now() - started < STOP_GRACE_MS) await factory.clock.sleep(POLL_MS);
    signalGroup(state.pgid, 'SIGKILL');
    note(io, `Stopped the sandbox (pid ${state.pid}) and its pods.`);
  } else if (state) {
    outcome = 'cleaned-up';
    signalGroup(state.pgid, 'SIGKILL');
    note(io, 'The sandbox was not running; removed what it left behind.');
  } else {
    note(io, `No sandbox runs from ${stateDir}.`);
  }
  await removeState(stateDir);
  writeReport(io, { kind: 'SandboxDown', outcome, stateDir, ...(state ? { pid: state.pid } : {}) }, () => '');
}

export async function runSandboxStatus(session: Session, stateDir: string): Promise<void> {
  const state = await readState(stateDir);
  const running = !!state && isDaemonAlive(state.pid);
  const document = running ? { kind: 'SandboxStatus', running: true, stateDir, ...state } : { kind: 'SandboxStatus', running: false, stateDir };
  writeReport(session.io, document, () => {
    if (!running || !state) return `The sandbox is not running (state dir ${stateDir}). Start it with: ${session.factory.programName} sandbox up\n`;
    const lines = [
      `The sandbox is ${state.status === 'ready' ? 'running' : 'starting'} (pid ${state.pid}, since ${state.startedAt}, ${state.mode === 'in-process' ? 'pods in one process' : 'one process per pod'})`,
      `API:        ${state.apiUrl ?? '-'}`,
      `kubeconfig: ${state.kubeconfigPath ?? '-'}`,
      `Service:    ${state.service ? `${state.service.name} at ${state.service.clusterIP}:${state.service.port}` : '-'}`,
      `Pods (namespace ${state.namespace ?? '-'}, IPs from ${state.podCidr}):`,
      ...state.pods.map((p) => `  ${p.name.padEnd(14)} ${(p.phase ?? '').padEnd(12)} ${p.ready ? 'ready    ' : 'not ready'} ${(p.ip ?? '-').padEnd(15)} ${p.pid ? `pid ${p.pid}` : ''}`.trimEnd()),
    ];
    return lines.join('\n') + '\n';
  });
}

function printUsage(session: Session, state: SandboxState, options: SandboxUpOptions): void {
  const { stateDir } = options;
  const name = session.factory.programName;
  const ready = state.pods.filter((p) => p.ready).length;
  writeReport(session.io, { kind: 'SandboxStatus', running: true, stateDir, ...state }, () =>
    [
      `Sandbox ready: ${ready}/${state.pods.length} pods of sts/conduit Ready, API ${state.apiUrl}`,
      ...(state.service ? [`Service ${state.service.name}: ${state.service.clusterIP}:${state.service.port} (sessionAffinity ClientIP)`] : []),
      '',
      'Use it:',
      `  export KUBECONFIG=${state.kubeconfigPath}`,
      `  ${name} status sts/conduit -n ${state.namespace}`,
      `  kubectl get pods -n ${state.namespace}`,
      '',
      `Stop it: ${name} sandbox down${options.stateDirGiven ? ` --state-dir ${stateDir}` : ''}`,
      '',
    ].join('\n'),
  );
}
