// `rebalance`: read every instance, plan the moves (rebalance-plan), emit the plan before anything
// moves, then run each move as a migration whose receivers may fill only up to the mean. Only
// serving instances count: draining, unready, terminating or unreadable ones are left out.

import type { Clock, Fleet, GatewayAdmin, Instance } from '../ports/index.js';
import type { MigrationEvent } from './events.js';
import { executeMigration } from './execute.js';
import type { Pacing } from './pacing.js';
import { readCandidates } from './read-receivers.js';
import { chooseReceivers, type Exclusion } from './receivers.js';
import { planRebalance, type RebalancePlan } from './rebalance-plan.js';
import type { ReconnectWindow } from './reconnect-window.js';
import type { MigrationResult } from './result.js';
import { directWsUrl, type WsEndpoint } from './ws-url.js';

export type RebalanceEvent =
  | { type: 'rebalance-plan'; plan: RebalancePlan; excluded: Exclusion[] }
  | { type: 'move'; source: string; event: MigrationEvent };

export interface RebalanceOptions {
  gateway: GatewayAdmin;
  clock: Clock;
  signal: AbortSignal;
  fleet: Fleet;
  instances: readonly Instance[];
  tolerance: number;
  maxConnections?: number;
  ws: WsEndpoint;
  pacing: Pacing;
  window: ReconnectWindow;
  timeoutMs: number;
  dryRun: boolean;
  runId: string;
  lock?: { lost(): string | undefined };
  onEvent?: (event: RebalanceEvent) => void;
}

export interface RebalanceResult {
  outcome: 'balanced' | 'planned' | 'rebalanced' | 'interrupted' | 'timeout' | 'refused' | 'failed';
  message: string;
  plan: RebalancePlan;
  excluded: Exclusion[];
  migrations: MigrationResult[];
}

export async function rebalance(o: RebalanceOptions): Promise<RebalanceResult> {
  const emit = (event: RebalanceEvent) => o.onEvent?.(event);
  const specs = o.instances.map((instance) => {
    const url = directWsUrl(instance, o.ws);
    return { instance, ...(url !== undefined ? { url } : {}), ...(o.maxConnections !== undefined ? { maxConnections: o.maxConnections } : {}) };
  });
  const { receivers: serving, excluded } = chooseReceivers(await readCandidates(specs, o.gateway, o.fleet, o.signal), true);
  const plan = planRebalance(serving.map((r) => ({ name: r.name, connections: r.connections })), o.tolerance);
  emit({ type: 'rebalance-plan', plan, excluded });
  const result = (outcome: RebalanceResult['outcome'], message: string, migrations: MigrationResult[] = []): RebalanceResult => ({ outcome, message, plan, excluded, migrations });
  const skew = (ratio: number | null) => (ratio === null ? 'n/a' : `${Math.round((ratio - 1) * 100)}% above the mean`);
  if (plan.verdict !== 'proceed') return result('balanced', `balanced: the busiest instance is ${skew(plan.skewBefore)} (tolerance ${Math.round(o.tolerance * 100)}%); nothing to move`);
  if (o.dryRun) return result('planned', `dry run: would move ${plan.moves.map((m) => `${m.count} from ${m.source}`).join(', ')}; nothing moved`);

  const migrations: MigrationResult[] = [];
  const level = Math.ceil(plan.mean);
  for (const move of plan.moves) {
    const source = o.instances.find((i) => i.name === move.source)!;
    const receivers = specs
      .filter((s) => s.instance.name in move.receivers)
      .map((s) => ({ ...s, maxConnections: Math.min(level, s.maxConnections ?? Number.POSITIVE_INFINITY) }));
    const migration = await executeMigration({
      gateway: o.gateway,
      clock: o.clock,
      signal: o.signal,
      source,
      receivers,
      sendTo: { kind: 'direct' },
      fleet: o.fleet,
      // Receivers fill up to the mean on purpose: being "near" that limit is no reason to slow down.
      settings: { pacing: o.pacing, window: o.window, timeoutMs: o.timeoutMs, limit: move.count, nearCapacity: Number.POSITIVE_INFINITY },
      runId: `${o.runId}-${move.source}`,
      ...(o.lock ? { lock: o.lock } : {}),
      onEvent: (event) => emit({ type: 'move', source: move.source, event }),
    });
    migrations.push(migration);
    if (migration.outcome !== 'completed' && migration.outcome !== 'nothing-to-move') {
      const outcome = migration.outcome === 'planned' ? 'failed' : migration.outcome;
      return result(outcome, `stopped at ${move.source}: ${migration.message}`, migrations);
    }
  }
  const moved = migrations.reduce((sum, m) => sum + m.moved, 0);
  return result('rebalanced', `moved ${moved} connections; projected skew ${skew(plan.skewAfter)} (tolerance ${Math.round(o.tolerance * 100)}%)`, migrations);
}
