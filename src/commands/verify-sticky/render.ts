import type { Sample } from '../../ops/ports/index.js';
import type { ClientSummary, StickyReport, StickyVerdict, VerifyStickyEvent } from '../../ops/verify-sticky/index.js';
import { palette } from '../../ui/color.js';
import { renderTable } from '../../ui/table.js';
import { formatDuration } from '../../util/duration.js';

interface RenderOptions {
  wide: boolean;
  color: boolean;
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))}%`;
}

function instancesText(client: ClientSummary): string {
  return client.instances.map((i) => `${i.name}×${i.count}`).join(', ') || '-';
}

function clientStatus(client: ClientSummary): string {
  if (client.firstMove) return `moved at request ${client.firstMove.request} (${client.firstMove.from} → ${client.firstMove.to})${client.moves > 1 ? `, ${client.moves} moves` : ''}`;
  if (client.pinnedTo && client.answered >= 2) return 'pinned';
  return `unknown: ${client.answered} answer${client.answered === 1 ? '' : 's'}`;
}

function headline(report: StickyReport): string {
  const { target } = report;
  const how = [
    target.transport === 'websocket' ? 'a WebSocket upgrade per request' : target.freshConnections ? 'a fresh connection per request' : 'keep-alive connections',
    target.cookies ? 'cookies kept' : 'no cookies',
    target.instanceFrom.kind === 'header' ? `instance from header ${target.instanceFrom.name}` : `instance from field "${target.instanceFrom.path}"`,
  ];
  return `${target.url} · ${report.totals.clients} client${report.totals.clients === 1 ? '' : 's'} × ${report.requestsPerClient} requests · ${how.join(' · ')}`;
}

function affinityText(report: StickyReport): string {
  const { affinity } = report;
  if (affinity.kind === 'none') return `Affinity: none found — ${affinity.note.replace(/^no affinity cookie was set: /, 'no cookie set; ')}`;
  const attributes = Object.entries(affinity.attributes).map(([k, v]) => (v === true ? k : `${k}=${v}`));
  const values = affinity.values
    .slice(0, 8)
    .map((v) => `${v.value ?? v.fingerprint}→${v.instance ?? '?'}`)
    .join(', ');
  const more = affinity.values.length > 8 ? ` …(+${affinity.values.length - 8})` : '';
  return (
    `Affinity: cookie ${affinity.name}${affinity.knownAs ? ` — ${affinity.knownAs}` : ' (not a known balancer cookie; it may be the application’s own)'}\n` +
    `  attributes: ${attributes.join('; ') || 'none'} · values: ${values}${more} · sent back: ${affinity.returned ? 'yes' : 'no'}`
  );
}

function verdictColor(verdict: StickyVerdict, text: string, color: boolean): string {
  const c = palette({ color });
  return verdict === 'STICKY' ? c.green(text) : verdict === 'INCONCLUSIVE' || verdict === 'UNEVEN' ? c.yellow(text) : c.red(text);
}

/** The table/wide report: clients, fleet, affinity, faults, warnings, then the verdict last. */
export function renderStickyReport(report: StickyReport, { wide, color }: RenderOptions): string {
  const c = palette({ color });
  const clientHeaders = ['client', 'source', 'answered by', 'faults', 'status'];
  if (wide) clientHeaders.push('connections', 'cookies sent');
  const clientRows = report.clients.map((client) => {
    const status = clientStatus(client);
    const row = [
      String(client.id),
      client.localAddresses.join(',') || client.sourceAddress || '-',
      instancesText(client),
      String(client.faults),
      client.firstMove ? c.red(status) : client.pinnedTo ? status : c.yellow(status),
    ];
    if (wide) row.push(String(client.connections), client.cookiesSent.join(',') || '-');
    return row;
  });

  const { fleet } = report;
  const fleetRows = fleet.instances.map((i) => [i.name, String(i.clients), String(i.answers)]);
  const skew =
    fleet.skew === null
      ? 'skew n/a (fewer than 2 clients answered)'
      : `skew ${fleet.skew.toFixed(2)} (max/mean clients per instance; tolerance ${percent(fleet.tolerance)})${fleet.uneven ? c.yellow(' uneven') : ''}`;

  const sections = [headline(report), renderTable(clientHeaders, clientRows)];
  if (fleetRows.length > 0) sections.push(`${renderTable(['instance', 'clients', 'answers'], fleetRows)}\n${skew}`);
  sections.push(affinityText(report));
  if (report.faults.length > 0) {
    const rows = report.faults.map((f) => [
      f.label,
      String(f.count),
      f.clients.length > 6 ? `${f.clients.slice(0, 6).join(',')}…(${f.clients.length})` : f.clients.join(','),
      f.reportedBy.map((r) => `${r.name}×${r.count}`).join(', ') || '-',
    ]);
    sections.push(`Faults (requests that named no instance; never counted as answers):\n${renderTable(['fault', 'count', 'clients', 'said by'], rows)}`);
  }
  if (report.warnings.length > 0) sections.push(report.warnings.map((w) => c.yellow(`! ${w}`)).join('\n'));
  const totals = `${report.totals.requests} requests, ${report.totals.answered} answered, ${report.totals.faults} faults, ${report.totals.connections} connections in ${formatDuration(report.durationMs)}`;
  sections.push(`${totals}\n${verdictColor(report.verdict, report.verdict, color)}: ${report.reason}`);
  return `${sections.join('\n\n')}\n`;
}

/** The live line on a terminal. */
export function progressLine(event: Extract<VerifyStickyEvent, { type: 'sampled' }>, state: { moves: number; faults: number }): string {
  return `sampling: ${event.completed}/${event.total} requests · ${state.moves} move${state.moves === 1 ? '' : 's'} · ${state.faults} fault${state.faults === 1 ? '' : 's'}`;
}

/** Progress bookkeeping: a move is an answer from another instance than this client’s last one. */
export function createProgressState(): { moves: number; faults: number; observe(client: number, sample: Sample): void } {
  const last = new Map<number, string>();
  return {
    moves: 0,
    faults: 0,
    observe(client, sample) {
      if (sample.outcome !== 'answered' || !sample.instance) {
        this.faults++;
        return;
      }
      const previous = last.get(client);
      if (previous !== undefined && previous !== sample.instance) this.moves++;
      last.set(client, sample.instance);
    },
  };
}
