import type { Session } from '../../cli/session.js';
import { rebalance, type RebalanceEvent } from '../../ops/migrate/rebalance.js';
import type { HeldLock } from '../../ops/workload-lock/index.js';
import { failureOf, runOp } from '../shared/index.js';
import { lockStatefulSet, maxConnectionsOf, newRunId } from '../shared/migration/wiring.js';
import type { RebalanceCommandOptions } from './index.js';
import { rebalanceDocument, rebalanceEventLine, rebalanceStatus, renderRebalance } from './render.js';

export async function runRebalance(session: Session, options: RebalanceCommandOptions): Promise<void> {
  const { io, factory } = session;
  const target = options.statefulSet ? ({ kind: 'workload', workloadKind: 'statefulset', name: options.statefulSet } as const) : ({ kind: 'all' } as const);
  const { fleet, gateway, workloads, statefulSet } = await session.connect(target);
  const instances = await fleet.resolve(target, factory.signal);
  const maxConnections = maxConnectionsOf(options.migrate, statefulSet);

  let lock: HeldLock | undefined;
  try {
    await runOp(io, {
      starting: 'reading the instances…',
      events: { line: (event: RebalanceEvent) => rebalanceEventLine(event, io.progress || io.verbosity > 0), status: rebalanceStatus },
      call: async (onEvent) => {
        if (statefulSet && workloads && !options.dryRun) {
          lock = await lockStatefulSet(session, workloads, statefulSet);
        }
        return rebalance({
          gateway,
          clock: factory.clock,
          signal: factory.signal,
          fleet,
          instances,
          tolerance: options.tolerance,
          ...(maxConnections !== undefined ? { maxConnections } : {}),
          ws: options.migrate.ws,
          pacing: options.migrate.pacing,
          window: options.migrate.window,
          timeoutMs: options.timeoutMs,
          dryRun: options.dryRun,
          runId: newRunId('rebalance'),
          ...(lock ? { lock } : {}),
          onEvent,
        });
      },
      document: rebalanceDocument,
      render: renderRebalance,
      failure: (result) => failureOf(result.outcome, result.message),
    });
  } finally {
    await lock?.release();
  }
}
