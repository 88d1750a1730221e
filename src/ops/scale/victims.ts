// Where the victims were left, for the result and for the one-line "what is left" message.

import type { DrainResult } from '../drain/index.js';
import type { Count, Instance } from '../ports/index.js';
import type { VictimPlan } from './plan-types.js';
import type { VictimReport, VictimState } from './result.js';

/** Before the write: the drain's view of each victim (or untouched when it never ran). */
export function victimsBeforeWrite(victims: readonly VictimPlan[], drain?: DrainResult): VictimReport[] {
  return victims
    .filter((v) => v.exists)
    .map((v) => {
      const row = drain?.instances.find((i) => i.name === v.name);
      if (!row) return { name: v.name, state: v.terminating ? 'terminating' : 'untouched', connections: v.connections };
      const state: VictimState = row.undrained ? 'undrained' : row.state === 'drained' ? 'drained' : row.drainedByThisRun || row.state !== 'not-draining' ? 'draining' : 'untouched';
      return { name: v.name, state, connections: row.lastCount, ...(row.detail ? { detail: row.detail } : {}) };
    });
}

/** After the write: removed or still terminating. */
export function victimsAfterWrite(victims: readonly VictimPlan[], pending: readonly string[]): VictimReport[] {
  const zero: Count = { known: true, value: 0 };
  return victims
    .filter((v) => v.exists)
    .map((v) => ({ name: v.name, state: pending.includes(v.name) ? 'terminating' : 'removed', connections: v.terminating ? v.connections : zero }));
}

/** "conduit-2 draining, 3 connections, not removed; conduit-3 removed" */
export function describeVictims(reports: readonly VictimReport[]): string {
  if (reports.length === 0) return 'no victim pods';
  return reports
    .map((r) => {
      const count = r.connections.known ? `${r.connections.value} connection${r.connections.value === 1 ? '' : 's'}` : 'connections unknown';
      return r.state === 'removed' ? `${r.name} removed` : `${r.name} ${r.state}, ${count}, not removed`;
    })
    .join('; ');
}

/** A planned victim as the instance that was drained (its uid the baseline, terminating or not). */
export function victimInstance(v: VictimPlan): Instance {
  return { name: v.name, ...(v.uid !== undefined ? { uid: v.uid } : {}), ...(v.terminating ? { deletionTimestamp: v.graceEndsAt ?? 'unknown' } : {}) };
}
