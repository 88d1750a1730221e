import type { UndrainEvent, UndrainResult } from '../../ops/undrain/index.js';
import { palette } from '../../ui/color.js';
import { renderTable } from '../../ui/table.js';
import { formatDuration } from '../../util/duration.js';

export function eventLine(event: UndrainEvent): string | undefined {
  switch (event.type) {
    case 'already-serving':
      return `${event.instance}: already serving (/health ok), nothing sent`;
    case 'serving':
      return `${event.instance}: serving again (/health ok)`;
    case 'undrain-request-failed':
      return `warning: ${event.instance}: the undrain request failed, trying again: ${event.reason}`;
    default:
      return undefined;
  }
}

export function undrainDocument(source: string, result: UndrainResult) {
  return {
    kind: 'UndrainReport',
    source,
    outcome: result.outcome,
    elapsedMs: Math.round(result.elapsedMs),
    instances: result.instances.map((row) => ({
      name: row.name,
      state: row.state,
      undrainedByThisRun: row.undrainedByThisRun,
      detail: row.detail ?? null,
    })),
  };
}

export function renderUndrainResult(result: UndrainResult, { wide, color }: { wide: boolean; color: boolean }): string {
  const c = palette({ color });
  const headers = ['name', 'state', 'detail'];
  if (wide) headers.push('undrained by this run');
  const rows = result.instances.map((row) => {
    const cells = [row.name, row.state === 'serving' ? c.green(row.state) : c.yellow(row.state), row.detail ?? '-'];
    if (wide) cells.push(String(row.undrainedByThisRun));
    return cells;
  });
  return `${renderTable(headers, rows)}\n`;
}

/** The error text of an undrain that did not end with every instance serving. */
export function undrainFailureText(result: UndrainResult): { message: string; hint?: string } {
  const left = result.instances
    .filter((row) => row.state !== 'serving')
    .map((row) => `${row.name} ${row.state}${row.detail ? ` (${row.detail})` : ''}`)
    .join('; ');
  switch (result.outcome) {
    case 'undrained':
      return { message: 'undrained' };
    case 'timeout':
      return { message: `timed out after ${formatDuration(result.elapsedMs)}, not serving yet: ${left}`, hint: 'Re-run to keep waiting; check the gateway if /health never answers ok.' };
    case 'interrupted':
      return { message: `interrupted, not serving yet: ${left || 'none'}`, hint: 'Re-run the same command to finish.' };
  }
}
