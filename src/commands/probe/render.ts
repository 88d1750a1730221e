import type { ProbeProgress, ProbeReport } from '../../ops/probe/index.js';
import { palette } from '../../ui/color.js';
import { renderTable } from '../../ui/table.js';
import { formatDuration } from '../../util/duration.js';
import { renderTimelineChart } from './chart.js';

interface RenderOptions {
  wide: boolean;
  color: boolean;
}

const counts = (map: Record<string, number>, none = '-') =>
  Object.entries(map)
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([key, n]) => `${key} ${n}`)
    .join(', ') || none;

const ms = (value: number | null) => (value === null ? '-' : formatDuration(value));

/** The live line: phase, open/connecting/waiting, closes, silent drops, gaps, and the bound's state. */
export function progressLine({ phase, snapshot: s, detail }: ProbeProgress): string {
  const parts = [`${phase}: ${s.open}/${s.connections} open`];
  if (s.connecting + s.waiting > 0) parts.push(`${s.connecting + s.waiting} ${phase === 'connecting' ? 'connecting' : 'reconnecting'}`);
  parts.push(`${s.closes} closes (${s.silent} silent)`);
  if (s.gaps > 0) parts.push(`${s.gaps} gaps`);
  if (s.failed > 0) parts.push(`${s.failed} failed attempts`);
  return `${parts.join(' · ')}${detail ? ` · ${detail}` : ''}`;
}

function boundText(report: ProbeReport): string {
  const { bound, rollout, command } = report;
  if (bound.kind === 'duration') return `for ${formatDuration(bound.durationMs)}`;
  if (bound.kind === 'until-stopped') return 'until stopped';
  if (bound.kind === 'rollout' && rollout) {
    const revisions = `${rollout.fromRevision ?? '?'} → ${rollout.toRevision ?? '?'}`;
    const done = rollout.complete ? `complete in ${ms(rollout.durationMs)}` : `not complete: ${rollout.state}`;
    return `rollout of sts/${rollout.statefulSet}${rollout.restarted ? ' (restarted)' : ''}, revision ${revisions}, ${done}`;
  }
  if (command) {
    const end = command.startError ? `could not start (${command.startError})` : command.signal ? `ended by ${command.signal}` : `exited ${command.exitCode}`;
    return `while ${command.program} ran (${formatDuration(command.durationMs)}, ${end})`;
  }
  return bound.kind;
}

export function renderProbeReport(report: ProbeReport, { wide, color }: RenderOptions): string {
  const c = palette({ color });
  const { connections, closes, reconnectMs } = report;
  const silentText = closes.silent === 0 ? '0' : c.red(`${closes.silent} (${counts(closes.silentByCause)})`);
  const rows: string[][] = [
    ['connections', `${connections.requested} requested, ${connections.connected} connected, ${connections.neverOpened} never opened, ${connections.openAtEnd} open at the end`],
    ['handshakes', `${connections.opened} reached a hello, ${connections.failed} failed${connections.failed ? ` (${counts(connections.failuresByCause)}${Object.keys(connections.failuresByHttpStatus).length ? `; HTTP ${counts(connections.failuresByHttpStatus)}` : ''})` : ''}`],
    ['closes', `${closes.total}: ${closes.clean} clean, silent ${silentText}`],
    ['by code', counts(closes.byCode)],
    ['silent by instance', counts(report.silentByInstance)],
    ['gaps', report.gaps === 0 ? '0' : c.red(`${report.gaps} (${counts(report.gapsByInstance)})`)],
    ['reconnect', reconnectMs.count === 0 ? 'none' : `p50 ${ms(reconnectMs.p50)}  p95 ${ms(reconnectMs.p95)}  p99 ${ms(reconnectMs.p99)}  max ${ms(reconnectMs.max)}  (${reconnectMs.count})`],
    ['instances before', counts(report.instances.before)],
    ['instances after', counts(report.instances.after)],
  ];
  if (wide) {
    rows.push(['notices', counts(closes.notices)], ['closes by instance', counts(closes.byInstance)], ['migrations', String(closes.migrations)], ['moved', `${connections.moved} connections were on more than one instance`]);
  }
  const samples = report.samples.closes.filter((s) => s.silent !== null).slice(0, wide ? 20 : 5);
  const sampleLines = samples.length
    ? ['', 'First silent drops:', ...samples.map((s) => `  +${formatDuration(s.atMs)}  connection ${s.connection} on ${s.instance ?? '?'}: ${s.code}${s.reason ? ` "${s.reason}"` : ''} — ${s.silent}`)]
    : [];
  const failures = report.samples.failures.slice(0, wide ? 10 : 3);
  const failureLines = failures.length ? ['', 'First failed attempts:', ...failures.map((f) => `  +${formatDuration(f.atMs)}  connection ${f.connection}: ${f.detail}`)] : [];
  const verdict = report.verdict === 'PASS' ? c.green('PASS') : c.red('FAIL');
  return [
    `Probe ${report.url} · ${boundText(report)} · ${formatDuration(report.durationMs)}`,
    '',
    renderTable(['', ''], rows).split('\n').slice(1).join('\n'),
    ...sampleLines,
    ...failureLines,
    '',
    renderTimelineChart(report.timeline.points, report.timeline.bucketSeconds),
    '',
    `${verdict}${report.reasons.length ? `: ${report.reasons.join('; ')}` : `: ${closes.silent} silent drops, ${report.gaps} gaps${report.thresholds.maxReconnectP99Ms !== null ? `, reconnect p99 within ${formatDuration(report.thresholds.maxReconnectP99Ms)}` : ''}`}`,
  ].join('\n');
}
