// Step 4 of the demo, measured: `conduitctl probe` holds connections to the pod being removed
// while `scale --migrate` runs under it, and the demo prints the probe's verdict with its counts
// instead of claiming that no client was dropped silently.
import { spawn } from 'node:child_process';
import type { Session } from '../../cli/session.js';
import { VerificationError } from '../../ops/errors.js';
import type { ProbeReport } from '../../ops/probe/index.js';

export interface ScaleDownProbe {
  kubeconfig: string;
  /** The probe's connections go straight to the pod scale will remove. */
  victimUrl: string;
  connections: number;
  scaleArgs: string[];
}

const SETTLE = '20s';

/** Run the probe around the scale-down; resolves with its report, PASS or FAIL alike. */
export async function probeScaleDown(session: Session, plan: ScaleDownProbe): Promise<ProbeReport> {
  const { io, factory } = session;
  const probeArgs = ['probe', plan.victimUrl, '--connections', String(plan.connections), '--settle', SETTLE, '-o', 'json'];
  io.out.write(`\n$ ${factory.programName} ${probeArgs.join(' ')} -- ${factory.programName} ${plan.scaleArgs.join(' ')}\n`);
  const child = spawn(process.execPath, [factory.installation.cliEntry, ...probeArgs, '--', process.execPath, factory.installation.cliEntry, ...plan.scaleArgs], {
    env: { ...factory.env, KUBECONFIG: plan.kubeconfig },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  try {
    return JSON.parse(stdout) as ProbeReport;
  } catch {
    throw new VerificationError(`the probe printed no report (exit ${code})`);
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
