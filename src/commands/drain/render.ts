import type { DrainResult, InstanceDrainResult } from '../../ops/drain/index.js';
import { palette } from '../../ui/color.js';
import { renderTable } from '../../ui/table.js';
import { formatDuration } from '../../util/duration.js';
import { counted } from '../../util/plural.js';
import { countText } from '../shared/index.js';

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
      droppedConnections: row.droppedConnections ?? null,
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

/** The error text of a drain that did not end drained: what is left, and what to do. */
export function drainFailureText(result: DrainResult): { message: string; hint?: string } {
  const left = describeLeftState(result);
  switch (result.outcome) {
    case 'drained':
      return { message: `drained: ${left}` };
    case 'timeout':
      return { message: `timed out after ${formatDuration(result.elapsedMs)}: ${left}`, hint: 'The instances stay draining (safe). Re-run to keep waiting, or put them back with conduitctl undrain NAME….' };
    case 'interrupted':
      return { message: `interrupted: ${left}`, hint: 'Re-run the same command to resume.' };
    case 'not-confirmed':
      return { message: `never confirmed: /health never reported "draining": ${left}`, hint: 'Nothing may be removed while the gateway still serves; check its drain implementation.' };
    case 'restarted':
      return {
        message: `a gateway restarted or stopped draining during the drain: ${left}; ${droppedText(result)}`,
        hint: 'Its clients reconnected elsewhere or were cut off. Check the gateway, then drain again before removing anything.',
      };
  }
}

/** "5 connections may have been dropped" over the instances that restarted, stopped draining or left. */
function droppedText(result: DrainResult): string {
  const lost = result.instances.filter((row) => row.droppedConnections !== undefined);
  const known = lost.map((row) => row.droppedConnections).filter((n): n is number => typeof n === 'number');
  if (known.length === lost.length) return `${counted(known.reduce((a, b) => a + b, 0), 'connection')} may have been dropped`;
  return 'an unknown number of connections may have been dropped';
}
