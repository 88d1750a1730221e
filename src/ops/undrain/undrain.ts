// `undrain`: put drained gateways back into service — the step every hint names ("undrain them").
// Per instance, in parallel: /health already ok → nothing to send (idempotent); else POST undrain
// and poll /health until it says ok, the done condition (an accepted request is not done, as for
// drain). A 401/403, TLS failure or a gateway with no undrain endpoint (404/405) stops at once;
// any other failed POST is sent again on the next poll. At the deadline, what is not serving yet
// is reported; an interrupt reports what was done so far (undrain has nothing to undo).

import { Deadline } from '../../util/deadline.js';
import { GatewayError } from '../errors.js';
import { pollUntilDeadline } from '../poll/index.js';
import type { Clock, GatewayAdmin, Health, Instance } from '../ports/index.js';

export interface UndrainSettings {
  timeoutMs: number;
  pollIntervalMs: number;
}

export type UndrainEvent =
  | { type: 'already-serving'; instance: string }
  | { type: 'undrain-requested'; instance: string }
  | { type: 'undrain-request-failed'; instance: string; reason: string }
  | { type: 'serving'; instance: string };

export type InstanceUndrainState =
  /** /health says ok. */
  | 'serving'
  /** /health still says draining. */
  | 'draining'
  /** /health could not be read or said something else: not counted as serving. */
  | 'unknown';

export interface InstanceUndrainResult {
  name: string;
  state: InstanceUndrainState;
  /** This run sent the undrain request (false when it was already serving). */
  undrainedByThisRun: boolean;
  detail?: string;
}

export type UndrainOutcome = 'undrained' | 'timeout' | 'interrupted';

export interface UndrainResult {
  outcome: UndrainOutcome;
  instances: InstanceUndrainResult[];
  elapsedMs: number;
}

export interface UndrainOptions {
  instances: Instance[];
  gateway: GatewayAdmin;
  clock: Clock;
  signal: AbortSignal;
  settings: UndrainSettings;
  onEvent?: (event: UndrainEvent) => void;
}

export async function undrainInstances(o: UndrainOptions): Promise<UndrainResult> {
  const started = o.clock.now();
  const deadline = new Deadline(o.clock, o.settings.timeoutMs);
  const gateway = o.gateway.within(deadline);
  const emit = (event: UndrainEvent) => o.onEvent?.(event);
  const rows: InstanceUndrainResult[] = o.instances.map((i) => ({ name: i.name, state: 'unknown', undrainedByThisRun: false }));
  // One failure that must stop everything (401/403, TLS, no undrain endpoint) aborts the others.
  const run = new AbortController();
  let fatal: unknown;
  const stopWith = (error: unknown): never => {
    fatal ??= error;
    run.abort(error);
    throw error;
  };
  const onInterrupt = () => run.abort(o.signal.reason);
  if (o.signal.aborted) onInterrupt();
  else o.signal.addEventListener('abort', onInterrupt, { once: true });

  const one = async (instance: Instance, row: InstanceUndrainResult): Promise<void> => {
    let requested = false;
    const polled = await pollUntilDeadline({
      clock: o.clock,
      deadline,
      signal: run.signal,
      intervalMs: o.settings.pollIntervalMs,
      look: async () => {
        const health = await gateway.health(instance, run.signal);
        const refused = fatalRead(instance, health);
        if (refused) stopWith(refused);
        if (health.status === 'ok') return health;
        row.state = health.status === 'draining' ? 'draining' : 'unknown';
        row.detail = health.status === 'draining' ? '/health still says draining' : `/health: ${health.status}${health.reason ? ` (${health.reason})` : ''}`;
        if (!requested) requested = await request(instance, row);
        return undefined;
      },
    });
    if (polled.kind === 'done') {
      row.state = 'serving';
      delete row.detail;
      emit(row.undrainedByThisRun ? { type: 'serving', instance: instance.name } : { type: 'already-serving', instance: instance.name });
    }
  };

  /** POST undrain; true when accepted. A failure that is not fatal is tried again next poll. */
  const request = async (instance: Instance, row: InstanceUndrainResult): Promise<boolean> => {
    try {
      await gateway.undrain(instance, run.signal);
      row.undrainedByThisRun = true;
      emit({ type: 'undrain-requested', instance: instance.name });
      return true;
    } catch (error) {
      // 401/403, TLS, no undrain endpoint (404/405): GatewayError's "refused" kind, exit 3.
      if (error instanceof GatewayError && error.kind === 'refused') stopWith(error);
      if (run.signal.aborted) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      row.detail = `the undrain request failed: ${reason}`;
      emit({ type: 'undrain-request-failed', instance: instance.name, reason });
      return false;
    }
  };

  try {
    // allSettled: every loop has ended (aborted ones included) before this returns.
    await Promise.allSettled(
      o.instances.map((instance, i) =>
        one(instance, rows[i]!).catch((error: unknown) => {
          if (!run.signal.aborted) stopWith(error);
        }),
      ),
    );
  } finally {
    o.signal.removeEventListener('abort', onInterrupt);
  }
  if (fatal !== undefined) throw fatal;
  const outcome: UndrainOutcome = o.signal.aborted ? 'interrupted' : rows.every((r) => r.state === 'serving') ? 'undrained' : 'timeout';
  return { outcome, instances: rows, elapsedMs: o.clock.now() - started };
}

/** 401/403 and TLS from /health stop the run, as in a drain: polling on changes nothing. */
function fatalRead(instance: Instance, health: Health): GatewayError | undefined {
  if (health.failure !== 'unauthorized' && health.failure !== 'tls') return undefined;
  const endpoint = `/health of ${instance.name}`;
  return new GatewayError(health.failure, endpoint, `${endpoint}: ${health.reason ?? health.failure}`, health.httpStatus);
}
