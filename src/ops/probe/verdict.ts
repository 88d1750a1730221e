import { formatDuration } from '../../util/duration.js';
import type { ProbeReport } from './report.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Every reason the run fails; none means PASS. Pure, and in the order an on-call engineer reads them. */
export function judge(report: Omit<ProbeReport, 'verdict' | 'reasons'>): string[] {
  const reasons: string[] = [];
  const { connections, closes, thresholds } = report;
  if (report.outcome === 'unreachable') reasons.push(`no connection opened: ${describeFailures(report)}`);
  else if (connections.neverOpened > 0) {
    reasons.push(`${plural(connections.neverOpened, 'connection')} of ${connections.requested} never opened (${describeFailures(report)})`);
  }
  if (report.outcome === 'ramp-incomplete') reasons.push('not every connection opened in time, so the bound was not started (nothing was restarted)');
  if (closes.silent > thresholds.maxSilent) {
    const where = Object.entries(report.silentByInstance)
      .sort(([, a], [, b]) => b - a)
      .map(([instance, n]) => `${instance} ${n}`)
      .join(', ');
    reasons.push(`${plural(closes.silent, 'silent drop')} (max ${thresholds.maxSilent}): ${where}`);
  }
  if (report.gaps > thresholds.maxGap) reasons.push(`${plural(report.gaps, 'missing sequence number')} (max ${thresholds.maxGap})`);
  const p99 = report.reconnectMs.p99;
  if (thresholds.maxReconnectP99Ms !== null && p99 !== null && p99 > thresholds.maxReconnectP99Ms) {
    reasons.push(`reconnect p99 ${formatDuration(p99)} is above ${formatDuration(thresholds.maxReconnectP99Ms)}`);
  }
  if (report.outcome === 'rollout-timeout') reasons.push(`the rollout did not complete in time (${report.rollout?.state ?? 'state unknown'})`);
  if (report.outcome === 'interrupted') reasons.push('interrupted: the report covers what was observed until then');
  const open = connections.openAtEnd;
  if (report.outcome === 'completed' && connections.neverOpened === 0 && open < connections.requested) {
    reasons.push(`${plural(connections.requested - open, 'connection')} not open again when the probe ended`);
  }
  if (report.outcome === 'completed' && report.rollout && report.rollout.connectionsElsewhere > 0) {
    reasons.push(`${plural(report.rollout.connectionsElsewhere, 'connection')} not on a pod of revision ${report.rollout.toRevision}`);
  }
  const command = report.command;
  if (command?.failed) {
    reasons.push(
      command.startError
        ? `the command could not start: ${command.startError}`
        : `the command ${command.program} ${command.signal ? `was ended by ${command.signal}` : `exited ${command.exitCode}`}`,
    );
  }
  return reasons;
}

function describeFailures(report: Omit<ProbeReport, 'verdict' | 'reasons'>): string {
  const { failuresByCause, failuresByHttpStatus } = report.connections;
  const parts = Object.entries(failuresByCause).map(([cause, n]) => {
    if (cause !== 'http') return `${cause} ${n}`;
    return `refused upgrade ${Object.entries(failuresByHttpStatus).map(([status, m]) => `HTTP ${status} ×${m}`).join(', ')}`;
  });
  const detail = report.samples.failures[0]?.detail;
  return parts.length ? `${parts.join(', ')}${detail ? `; first: ${detail}` : ''}` : 'no attempt finished';
}
