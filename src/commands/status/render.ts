import { counted } from '../../util/plural.js';
import type { FleetDescription, Health } from '../../ops/ports/index.js';
import type { InstanceStatus, StatusReport } from '../../ops/status.js';
import { palette } from '../../ui/color.js';
import { renderTable } from '../../ui/table.js';
import { formatAge } from '../../ui/age.js';

function healthText(health: Health): string {
  return health.status;
}

/** The -o json/yaml document. Unknown counts are null with a reason, never 0. */
export function statusDocument(fleet: FleetDescription, report: StatusReport) {
  return {
    kind: 'FleetStatus',
    fleet,
    instances: report.instances.map(({ instance, health, connections }) => ({
      name: instance.name,
      address: instance.address ?? null,
      ready: instance.ready ?? null,
      phase: instance.phase ?? null,
      terminating: !!instance.deletionTimestamp,
      restarts: instance.restarts ?? null,
      revision: instance.revision ?? null,
      createdAt: instance.createdAtMs ? new Date(instance.createdAtMs).toISOString() : null,
      health: health.status,
      healthReason: health.reason ?? null,
      connections: connections.known ? connections.value : null,
      connectionsReason: connections.known ? null : connections.reason,
      connectionsSnippet: connections.known ? null : (connections.snippet ?? null),
    })),
    totals: report.totals,
    skew: report.skew,
  };
}

interface RenderOptions {
  wide: boolean;
  color: boolean;
  nowMs: number;
}

export function renderStatus(report: StatusReport, { wide, color, nowMs }: RenderOptions): string {
  const c = palette({ color });
  const paint = (row: InstanceStatus, text: string) =>
    row.health.status === 'ok' ? c.green(text) : row.health.status === 'draining' ? c.yellow(text) : c.red(text);
  const headers = ['name', 'ready', 'health', 'connections', 'address', 'age'];
  if (wide) headers.push('restarts', 'revision', 'detail');
  const rows = report.instances.map((row) => {
    const { instance, connections } = row;
    const cells = [
      instance.name + (instance.deletionTimestamp ? ' (terminating)' : ''),
      instance.ready === undefined ? '-' : instance.ready ? 'true' : 'false',
      paint(row, healthText(row.health)),
      connections.known ? String(connections.value) : c.red('unknown'),
      instance.address ?? '-',
      instance.createdAtMs ? formatAge(nowMs - instance.createdAtMs) : '-',
    ];
    if (wide) {
      const detail = [row.health.reason, connections.known ? undefined : connections.reason + (connections.snippet ? `: ${connections.snippet}` : '')]
        .filter(Boolean)
        .join('; ');
      cells.push(instance.restarts === undefined ? '-' : String(instance.restarts), instance.revision ?? '-', detail || '-');
    }
    return cells;
  });
  const { totals, skew } = report;
  const unknown = totals.unknownCounts ? ` (${totals.unknownCounts} unknown, not counted)` : '';
  const skewText =
    skew.ratio === null ? 'skew n/a' : `skew ${skew.ratio.toFixed(2)}${skew.flagged ? c.yellow(` (above ${skew.threshold}: uneven)`) : ''}`;
  const summary =
    `${counted(totals.instances, 'instance')}: ${totals.ok} ok, ${totals.draining} draining, ${totals.unreachable} unreachable` +
    (totals.unknownHealth ? `, ${totals.unknownHealth} unknown` : '') +
    ` · ${counted(totals.connections, 'connection')}${unknown} · ${skewText}`;
  if (rows.length === 0) return `No instances matched.\n`;
  return `${renderTable(headers, rows)}\n\n${summary}\n`;
}
