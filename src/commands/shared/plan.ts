// `--dry-run` of a command that changes gateways (drain, undrain): what it would do to which
// instances, as they are now — on stdout, as a table or one JSON/YAML document — and nothing sent
// but reads (kubectl's "the plan on stdout").

import type { Session } from '../../cli/session.js';
import type { Target } from '../../ops/ports/index.js';
import { getStatus, DEFAULT_STATUS_CONCURRENCY } from '../../ops/status.js';
import { renderTable } from '../../ui/table.js';
import { writeReport } from '../../ui/report.js';
import { countText } from './count-text.js';

export interface PlanVerb {
  /** `DrainPlan`, `UndrainPlan`. */
  kind: string;
  /** What the command would do to an instance in this health state. */
  action(health: string): string;
}

export async function printPlan(session: Session, target: Target, verb: PlanVerb): Promise<void> {
  const { io, factory } = session;
  const { fleet, gateway } = await session.connect(target);
  const report = await getStatus({ fleet, gateway, target, concurrency: DEFAULT_STATUS_CONCURRENCY, signal: factory.signal });
  const rows = report.instances.map(({ instance, health, connections }) => ({
    name: instance.name,
    health: health.status,
    connections: connections.known ? connections.value : null,
    action: verb.action(health.status),
  }));
  writeReport(io, { kind: verb.kind, dryRun: true, source: fleet.describe().source, instances: rows }, () =>
    `${renderTable(
      ['name', 'health', 'connections', 'would'],
      report.instances.map((row, i) => [rows[i]!.name, rows[i]!.health, countText(row.connections), rows[i]!.action]),
    )}\n\n(dry run: nothing was changed)\n`,
  );
}
