// Step 4 of the demo, measured: `conduitctl probe` holds connections to the pod being removed
// while `scale` runs under it, and the demo prints the probe's verdict with its counts instead of
// claiming that no client was dropped silently.
import { spawn } from 'node:child_process';
import type { Session } from '../../cli/session.js';
import { VerificationError } from '../../ops/errors.js';
import type { ProbeReport } from '../../ops/probe/index.js';

export interface ScaleDownProbe {
  kubeconfig: string;
  /** The pod scale will remove: the probe's connections go straight to it. */
  victim: { name: string; ip: string };
  publicPort: number;
  adminPort: number;
  /** Where the victim's clients are told to reconnect (the Service). */
  reconnectUrl: string;
  connections: number;
  scaleArgs: string[];
  /** The demo's own clients on the victim end their sessions first (the runbook's "wait for clients to leave"). */
  clientsLeave: () => Promise<void>;
}

const SETTLE = '20s';
const DRAINING_DEADLINE_MS = 60_000;

/** Run the probe around the scale-down; resolves with its report (PASS or FAIL alike). */
export async function probeScaleDown(session: Session, plan: ScaleDownProbe): Promise<ProbeReport> {
  const { io, factory } = session;
  const url = `ws://${plan.victim.ip}:${plan.publicPort}/v1/subscribe`;
  const probeArgs = ['probe', url, '--connections', String(plan.connections), '--settle', SETTLE, '-o', 'json'];
  io.out.write(`\n$ ${factory.programName} ${probeArgs.join(' ')} -- ${factory.programName} ${plan.scaleArgs.join(' ')}\n`);
  const child = spawn(process.execPath, [factory.installation.cliEntry, ...probeArgs, '--', process.execPath, factory.installation.cliEntry, ...plan.scaleArgs], {
    env: { ...factory.env, KUBECONFIG: plan.kubeconfig },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const moving = moveVictimClients(session, plan, exited);
  const [code] = await Promise.all([exited, moving]);
  try {
    return JSON.parse(stdout) as ProbeReport;
  } catch {
    throw new VerificationError(`the probe printed no report (exit ${code})`);
  }
}

/** Once the victim is draining: the demo's clients leave, then the victim tells the rest (the probe's) to move. */
async function moveVictimClients(session: Session, plan: ScaleDownProbe, probeExited: Promise<unknown>): Promise<void> {
  const admin = `http://${plan.victim.ip}:${plan.adminPort}`;
  let done = false;
  void probeExited.then(() => (done = true));
  const deadline = Date.now() + DRAINING_DEADLINE_MS;
  while (!(await isDraining(admin))) {
    if (done || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  await plan.clientsLeave();
  session.io.out.write(`\n# ${plan.victim.name} is draining and its sessions have ended; it tells the probe's clients to move:\n#   a migrating notice naming the Service, then close 1012 (POST ${admin}/admin/migrate)\n`);
  const response = await fetch(`${admin}/admin/migrate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count: plan.connections * 10, targets: [plan.reconnectUrl], reconnectAfterMs: 500, jitterMs: 1_000, batchId: 'sandbox-demo' }),
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new VerificationError(`POST /admin/migrate on ${plan.victim.name} answered ${response.status}`);
}

async function isDraining(admin: string): Promise<boolean> {
  try {
    const response = await fetch(`${admin}/health`, { signal: AbortSignal.timeout(2_000) });
    const body = (await response.json()) as { status?: string };
    return body.status === 'draining';
  } catch {
    return false;
  }
}

/** The verdict line: PASS/FAIL and the counts it rests on. */
export function probeVerdictLine(report: ProbeReport, victim: string): string {
  const { connections, closes } = report;
  const noticed = Object.entries(closes.notices).map(([kind, n]) => `${n} ${kind}`).join(', ') || 'none';
  const after = Object.entries(report.instances.after).map(([name, n]) => `${name} ×${n}`).join(', ') || 'nowhere';
  const p99 = report.reconnectMs.p99 === null ? 'unknown' : `${report.reconnectMs.p99}ms`;
  const why = report.verdict === 'FAIL' && report.reasons.length > 0 ? ` — ${report.reasons.join('; ')}` : '';
  return (
    `probe verdict: ${report.verdict} — ${connections.connected}/${connections.requested} connections to ${victim} held through the scale-down; ` +
    `${closes.total} closes: ${closes.clean} clean, ${closes.silent} silent (notices: ${noticed}); ` +
    `reconnect p99 ${p99}; ${connections.openAtEnd} open at the end on ${after}${why}`
  );
}
