// Where the victims were left, for the result and for the one-line "what is left" message.

import type { DrainResult } from '../drain/result.js';
import { newTracker } from '../drain/tracker.js';
import { undrainDrainedByThisRun } from '../drain/undrain.js';
import { DEFAULT_UNDRAIN_TIMEOUT_MS } from '../drain/settings.js';
import type { Clock, Count, GatewayAdmin, Instance } from '../ports/index.js';
import type { ScaleEvent } from './events.js';
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

/** Undrain the victims this run drained, after the drain itself finished (interrupt, conflict). */
export async function undrainVictims(
  drain: DrainResult,
  instances: readonly Instance[],
  deps: { gateway: GatewayAdmin; clock: Clock; emit(event: ScaleEvent): void },
  why: string,
): Promise<DrainResult> {
  const trackers = drain.instances.flatMap((row) => {
    const instance = instances.find((i) => i.name === row.name);
    if (!instance || !row.drainedByThisRun || row.undrained) return [];
    const tracker = newTracker(instance);
    tracker.drainedByThisRun = true;
    return [tracker];
  });
  await undrainDrainedByThisRun(
    trackers,
    { gateway: deps.gateway, clock: deps.clock, timeoutMs: DEFAULT_UNDRAIN_TIMEOUT_MS, emit: (event) => deps.emit({ type: 'drain', event }) },
    why,
  );
  return {
    ...drain,
    instances: drain.instances.map((row) => {
      const t = trackers.find((tr) => tr.instance.name === row.name);
      return t?.undrained ? { ...row, undrained: true, detail: t.detail } : row;
    }),
  };
}
