// Before a drain or scale-down that moves clients: can the receivers absorb everything the
// sources hold? Planned as one source of their summed count, so a refusal comes before anything
// is drained or moved.

import type { GatewayAdmin, Instance } from '../ports/index.js';
import type { Pacing } from './pacing.js';
import { planMigration, type MigrationPlan } from './plan.js';
import { readCandidates } from './read-receivers.js';
import type { ReconnectWindow } from './reconnect-window.js';
import { directWsUrl, type WsEndpoint } from './ws-url.js';

export interface MigrationPreflight {
  gateway: GatewayAdmin;
  sources: readonly Instance[];
  receivers: readonly Instance[];
  maxConnections?: number;
  /** Direct sends need each receiver's URL; undefined = through a load balancer. */
  ws?: WsEndpoint;
  pacing: Pacing;
  window: ReconnectWindow;
  signal?: AbortSignal;
}

export async function preflightMigration(o: MigrationPreflight): Promise<MigrationPlan> {
  const leaving = new Set(o.sources.map((s) => s.name));
  const counts = await Promise.all(o.sources.map((s) => o.gateway.connections(s, o.signal)));
  const unknown = o.sources.filter((_, i) => !counts[i]!.known).map((s) => s.name);
  const candidates = await readCandidates(
    o.receivers.filter((r) => !leaving.has(r.name)).map((instance) => {
      const url = o.ws ? directWsUrl(instance, o.ws) : undefined;
      return { instance, ...(url !== undefined ? { url } : {}), ...(o.maxConnections !== undefined ? { maxConnections: o.maxConnections } : {}) };
    }),
    o.gateway,
    undefined,
    o.signal,
  );
  const plan = planMigration({
    source: o.sources.map((s) => s.name).join(', '),
    sourceCount: counts.reduce((sum, c) => sum + (c.known ? c.value : 0), 0),
    candidates,
    direct: o.ws !== undefined,
    pacing: o.pacing,
    window: o.window,
  });
  if (unknown.length === 0 || plan.verdict === 'refused') return plan;
  return { ...plan, verdict: 'refused', refusal: `the connection count of ${unknown.join(', ')} is unknown, so the receivers' room cannot be checked`, batches: [], etaMs: 0 };
}
