import type { RebalanceEvent, RebalanceResult } from '../../ops/migrate/rebalance.js';
import type { RebalancePlan } from '../../ops/migrate/rebalance-plan.js';
import type { Exclusion } from '../../ops/migrate/receivers.js';
import { renderTable } from '../../ui/table.js';
import { migrationDocument, migrationEventLine, migrationStatus } from '../shared/migration/render.js';

const pct = (ratio: number | null) => (ratio === null ? 'n/a' : `${Math.round((ratio - 1) * 100)}%`);

export function rebalancePlanLines(plan: RebalancePlan, excluded: readonly Exclusion[]): string[] {
  const lines = [`Plan: mean ${plan.mean.toFixed(1)} connections, busiest ${pct(plan.skewBefore)} above it (tolerance ${Math.round(plan.tolerance * 100)}%)`];
  for (const move of plan.moves) {
    lines.push(`  move ${move.count} from ${move.source} to ${Object.entries(move.receivers).map(([n, c]) => `${n} (${c})`).join(', ')}`);
  }
  if (plan.moves.length) lines.push(`  projected: busiest ${pct(plan.skewAfter)} above the mean`);
  for (const e of excluded) lines.push(`  left out: ${e.name} (${e.why})`);
  return lines;
}

export function rebalanceEventLine(event: RebalanceEvent, batchLines: boolean): string | undefined {
  if (event.type === 'rebalance-plan') return rebalancePlanLines(event.plan, event.excluded).join('\n');
  // Each move's own plan repeats the rebalance plan: only its batches, pauses and retries.
  if (event.event.type === 'plan') return undefined;
  return migrationEventLine(event.event, batchLines);
}

export function rebalanceStatus(event: RebalanceEvent): string | undefined {
  return event.type === 'move' ? migrationStatus(event.event) : undefined;
}

export function rebalanceDocument(result: RebalanceResult) {
  return {
    kind: 'RebalanceReport',
    outcome: result.outcome,
    message: result.message,
    plan: result.plan,
    excluded: result.excluded,
    migrations: result.migrations.map(migrationDocument),
  };
}

export function renderRebalance(result: RebalanceResult): string {
  const rows = result.migrations.map((m) => [m.source, String(m.moved), String(m.batches.length), m.outcome]);
  const table = rows.length ? `${renderTable(['from', 'moved', 'batches', 'outcome'], rows).trimEnd()}\n` : '';
  return `${table}${result.message}\n`;
}
