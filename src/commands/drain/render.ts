import { counted } from '../../util/plural.js';
import type { DrainEvent, DrainResult, InstanceDrainResult } from '../../ops/drain/drain.js';
import { palette } from '../../ui/color.js';
import { renderTable } from '../../ui/table.js';
import { formatDuration } from '../../util/duration.js';
import { countText } from '../status/render.js';

/** Events the operator must see even when there is no progress line: what this run undid or lost. */
export function eventLine(event: DrainEvent, verbosity = 0): string | undefined {
  switch (event.type) {
    case 'poll': {
      if (verbosity < 2) return undefined;
      const count = event.count.known ? counted(event.count.value, 'connection') : `unknown connections (${event.count.reason})`;
      return `${event.instance}: ${count}, zero streak ${event.zeroStreak}, draining for ${formatDuration(event.sinceDrainingMs)}`;
    }
    case 'undrained':
      return `${event.instance}: undrained (this run had drained it)`;
    case 'undrain-failed':
      return `warning: ${event.instance}: undrain failed, it is still draining: ${event.reason}`;
    case 'restart-detected':
      return `warning: ${event.instance} restarted while draining${event.droppedConnections === null ? '' : `: ${counted(event.droppedConnections, 'connection')} dropped by the restart`}`;
    default:
      return undefined;
  }
}

export function progressText(event: DrainEvent): string | undefined {
  switch (event.type) {
    case 'drain-requested':
      return `${event.instance}: ${event.alreadyDraining ? 'already draining' : 'drain requested'}`;
    case 'draining-confirmed':
      return `${event.instance}: draining`;
    case 'progress': {
      const unknown = event.unknown.length ? ` · unknown: ${event.unknown.join(', ')}` : '';
      const rate = event.ratePerSec === null ? '' : ` · ${event.ratePerSec.toFixed(1)}/s`;
      const eta = event.etaMs === null ? '' : ` · ETA ${formatDuration(event.etaMs)}`;
      return `${counted(event.remaining, 'connection')} left${rate}${eta}${unknown} · ${formatDuration(event.elapsedMs)} elapsed`;
    }
    default:
      return undefined;
  }
}

function stateLine(row: InstanceDrainResult): string {
  const count = countText(row.lastCount);
  const where = row.undrained ? 'undrained' : row.state === 'drained' ? 'drained' : 'still draining';
  return `${row.name} ${where}, ${counted(count, 'connection')}${row.state === 'drained' ? '' : ', not removed'}`;
}

/** "conduit-4 still draining, 312 connections, not removed; conduit-3 drained, 0 connections" */
export function describeLeftState(result: DrainResult): string {
  return result.instances.map(stateLine).join('; ');
}

export function drainDocument(source: string, result: DrainResult) {
  return {
    kind: 'DrainReport',
    source,
    outcome: result.outcome,
    elapsedMs: Math.round(result.elapsedMs),
    instances: result.instances.map((row) => ({
      name: row.name,
      state: row.state,
      connections: row.lastCount.known ? row.lastCount.value : null,
      connectionsReason: row.lastCount.known ? null : row.lastCount.reason,
      drainedByThisRun: row.drainedByThisRun,
      undrained: row.undrained,
      detail: row.detail ?? null,
    })),
  };
}

export function renderDrainResult(result: DrainResult, { wide, color }: { wide: boolean; color: boolean }): string {
  const c = palette({ color });
  const headers = ['name', 'state', 'connections', 'detail'];
  if (wide) headers.push('drained by this run', 'undrained');
  const rows = result.instances.map((row) => {
    const state = row.state === 'drained' ? c.green(row.state) : c.yellow(row.state);
    const cells = [row.name, state, countText(row.lastCount), row.detail ?? (row.lastCount.known ? '-' : row.lastCount.reason)];
    if (wide) cells.push(String(row.drainedByThisRun), String(row.undrained));
    return cells;
  });
  return `${renderTable(headers, rows)}\n`;
}
