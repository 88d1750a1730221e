// The demo's judge: one `conduitctl probe … --until-stopped` attached to the Service before the
// first change and stopped (SIGINT, as Ctrl-C in its terminal) after the last, so its verdict
// covers the scale-down, the rebalance and the rollout together. Its report is read as JSON.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Session } from '../../cli/session.js';
import { VerificationError } from '../../ops/errors.js';
import type { ProbeReport } from '../../ops/probe/index.js';

export interface AttachedProbe {
  /** Stop it as Ctrl-C does; resolves with its report (PASS or FAIL alike). */
  stop(): Promise<ProbeReport>;
  /** Kill it without a report (the demo failed elsewhere). */
  kill(): void;
}

export interface ProbeAttachment {
  kubeconfig: string;
  url: string;
  connections: number;
  sourceIps: string;
}

/** The probe's arguments, as printed and as run. */
export function probeArgs(o: ProbeAttachment): string[] {
  return ['probe', o.url, '--connections', String(o.connections), '--source-ips', o.sourceIps, '--until-stopped', '-o', 'json'];
}

export function attachProbe(session: Session, o: ProbeAttachment): AttachedProbe {
  const { factory } = session;
  const child: ChildProcess = spawn(process.execPath, [factory.installation.cliEntry, ...probeArgs(o)], {
    env: { ...factory.env, KUBECONFIG: o.kubeconfig },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  return {
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      const code = await exited;
      try {
        return JSON.parse(stdout) as ProbeReport;
      } catch {
        throw new VerificationError(`the probe printed no report (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' / ')}`);
      }
    },
    kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** The verdict line: PASS/FAIL and the counts it rests on. */
export function probeVerdictLine(report: ProbeReport): string {
  const { connections, closes } = report;
  const noticed = Object.entries(closes.notices).map(([kind, n]) => `${n} ${kind}`).join(', ') || 'none';
  const after = Object.entries(report.instances.after).map(([name, n]) => `${name} ×${n}`).join(', ') || 'nowhere';
  const p99 = report.reconnectMs.p99 === null ? 'unknown' : `${report.reconnectMs.p99}ms`;
  const why = report.verdict === 'FAIL' && report.reasons.length > 0 ? ` — ${report.reasons.join('; ')}` : '';
  return (
    `probe verdict: ${report.verdict} — ${connections.connected}/${connections.requested} connections held from start to end; ` +
    `${closes.total} closes: ${closes.clean} clean, ${closes.silent} silent (notices: ${noticed}); ` +
    `reconnect p99 ${p99}; ${connections.openAtEnd} open at the end on ${after}${why}`
  );
}
