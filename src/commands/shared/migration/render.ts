// Text for migrations, shared by migrate, rebalance, drain --migrate and scale --migrate.
import type { MigrateSourceEvent } from '../../../ops/migrate/migrate-source.js';
import type { MigrationPlan } from '../../../ops/migrate/plan.js';
import type { MigrationResult } from '../../../ops/migrate/result.js';
import type { QueuedMigration } from '../../../ops/migrate/queue.js';
import { renderTable } from '../../../ui/table.js';
import { formatDuration } from '../../../util/duration.js';

export function planLines(plan: MigrationPlan): string[] {
  const receivers = plan.receivers.map((r) => `${r.name} (${r.connections}${r.maxConnections !== undefined ? `/${r.maxConnections}` : ''})`).join(', ');
  const lines = [];
  if (plan.verdict === 'proceed') {
    const { pacing, window } = plan;
    lines.push(
      `Plan: move ${plan.toMove} of ${plan.sourceCount} connections from ${plan.source} to ${receivers}` +
        `${plan.direct ? '' : ' (through the load balancer)'}: ${plan.batches.length} batch${plan.batches.length === 1 ? '' : 'es'} of up to ${pacing.batchSize} every ${formatDuration(pacing.intervalMs)} (${round(pacing.ratePerSecond)}/s), ` +
        `clients reconnect after ${formatDuration(window.minMs)}–${formatDuration(window.maxMs)}; ETA ${formatDuration(plan.etaMs)}`,
    );
  } else if (plan.verdict === 'refused') {
    lines.push(`Plan: refused: ${plan.refusal}`);
  } else {
    lines.push(`Plan: ${plan.source} has no connections to move`);
  }
  for (const e of plan.excluded) lines.push(`  not a receiver: ${e.name} (${e.why})`);
  return lines;
}

/** Lines that stay: the plan, pauses, retries; each batch only on a terminal or with -v. */
export function migrationEventLine(event: MigrateSourceEvent, batchLines: boolean): string | undefined {
  switch (event.type) {
    case 'plan':
      return planLines(event.plan).join('\n');
    case 'rotation':
      return `${event.source}: ${event.state.state === 'out' ? 'out of rotation' : event.state.state === 'in' ? 'still in rotation' : 'rotation unknown'}: ${event.state.detail}`;
    case 'batch':
      return batchLines ? batchText(event) : undefined;
    case 'retry':
      return `batch ${event.batchId}: POST failed (${event.reason}); retrying with the same batch id in ${formatDuration(event.retryInMs)}`;
    case 'slowed':
      return `slowing down: ${event.reason}; batches of ${event.batchSize}`;
    case 'paused':
      return `paused: ${event.detail}`;
    case 'resumed':
      return `resumed after ${formatDuration(event.pausedMs)}`;
  }
}

export function migrationStatus(event: MigrateSourceEvent): string | undefined {
  return event.type === 'batch' ? batchText(event) : undefined;
}

function batchText(event: Extract<MigrateSourceEvent, { type: 'batch' }>): string {
  const shares = Object.entries(event.batch.shares).map(([name, n]) => `${name} ${n}`).join(', ');
  const left = event.left.known ? String(event.left.value) : 'unknown';
  return `batch ${event.batch.index}: ${event.batch.migrated} moved → ${shares}${event.batch.attempts > 1 ? ` (${event.batch.attempts} attempts)` : ''} · ${event.moved} moved, ${left} left`;
}

export function migrationDocument(result: MigrationResult) {
  return {
    kind: 'MigrationReport',
    source: result.source,
    outcome: result.outcome,
    message: result.message,
    moved: result.moved,
    left: result.left.known ? result.left.value : null,
    elapsedMs: Math.round(result.elapsedMs),
    plan: {
      verdict: result.plan.verdict,
      ...(result.plan.refusal ? { refusal: result.plan.refusal } : {}),
      toMove: result.plan.toMove,
      sourceCount: result.plan.sourceCount,
      batchSize: result.plan.pacing.batchSize,
      intervalMs: result.plan.pacing.intervalMs,
      ratePerSecond: result.plan.pacing.ratePerSecond,
      reconnectAfterMs: { min: result.plan.window.minMs, max: result.plan.window.maxMs },
      etaMs: result.plan.etaMs,
      receivers: result.plan.receivers.map((r) => ({ name: r.name, connections: r.connections, maxConnections: r.maxConnections ?? null })),
      excluded: result.plan.excluded,
      batches: result.plan.batches.length,
    },
    pauses: result.pauses,
    batches: result.batches.map((b) => ({ ...b, remaining: b.remaining.known ? b.remaining.value : null })),
  };
}

export function renderMigration(result: MigrationResult, { wide }: { wide: boolean }): string {
  const lines: string[] = [];
  if (result.batches.length > 0) {
    const headers = ['batch', 'at', 'moved', 'to'];
    if (wide) headers.push('batch id', 'attempts', 'remaining');
    const rows = result.batches.map((b) => {
      const cells = [String(b.index), formatDuration(b.atMs), String(b.migrated), Object.entries(b.shares).map(([n, c]) => `${n} ${c}`).join(', ')];
      if (wide) cells.push(b.batchId, String(b.attempts), b.remaining.known ? String(b.remaining.value) : 'unknown');
      return cells;
    });
    lines.push(renderTable(headers, rows).trimEnd());
  }
  lines.push(`${result.message} (${formatDuration(result.elapsedMs)})`);
  return `${lines.join('\n')}\n`;
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** drain/scale --migrate: each source's migration in the report. */
export function migrationsDocument(migrations: readonly QueuedMigration[]) {
  if (migrations.length === 0) return {};
  return { migrations: migrations.map((m) => (m.result ? migrationDocument(m.result) : { kind: 'MigrationReport', source: m.source, outcome: 'failed', message: m.error ?? 'not started' })) };
}

export function migrationsText(migrations: readonly QueuedMigration[]): string {
  return migrations.map((m) => `${m.source}: ${m.result ? m.result.message : `clients not moved: ${m.error ?? 'not started'}`}\n`).join('');
}
