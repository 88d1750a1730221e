// `--then evict|delete` for one drained pod, then wait until it is gone.
// Evict (kubectl drain's loop, RELIABILITY rule 9): 429 with a PDB cause → report the PDB and its
// numbers and retry every ≥ evictionRetryMs with jitter (or its retryAfter); 429 throttling →
// honour Retry-After with capped backoff; NotFound → success; anything else (500: two PDBs)
// fails at once and nothing falls back to DELETE. Delete carries the uid precondition, so a
// pod re-created under the same name is never deleted. Gone = NotFound or a new uid.

import { backoffDelay } from '../../util/backoff.js';
import type { Deadline } from '../../util/deadline.js';
import { isAbortError } from '../../util/abort.js';
import type { Clock, Fleet, Instance, Workloads } from '../ports/index.js';
import { pollUntilDeadline } from '../poll/index.js';
import { goneHow } from '../removal/index.js';
import type { KubeDrainEvent } from './events.js';
import type { PodRemovalReport } from './result.js';
import type { KubeDrainSettings, ThenAction } from './settings.js';

export interface RemoveContext {
  workloads: Workloads;
  fleet: Fleet;
  clock: Clock;
  settings: KubeDrainSettings;
  deadline: Deadline;
  signal: AbortSignal;
  random: () => number;
  emit(event: KubeDrainEvent): void;
}

export async function removePod(pod: Instance, then: Exclude<ThenAction, 'none'>, ctx: RemoveContext): Promise<PodRemovalReport> {
  const asked = then === 'evict' ? await evictUntilAccepted(pod, ctx) : await deleteOnce(pod, ctx);
  if (asked.removal !== 'evicted' && asked.removal !== 'deleted') return asked;
  const gone = await waitGone(pod, ctx);
  return gone ? { ...asked, detail: gone === 'replaced' ? 'gone (re-created by its controller under the same name)' : 'gone' } : { name: pod.name, removal: 'terminating', detail: `${then === 'evict' ? 'evicted' : 'deleted'}, still terminating at the deadline` };
}

async function deleteOnce(pod: Instance, ctx: RemoveContext): Promise<PodRemovalReport> {
  const answer = await ctx.workloads.deletePod(pod, ctx.signal);
  if (answer === 'gone') {
    ctx.emit({ type: 'gone', instance: pod.name, how: 'not-found' });
    return { name: pod.name, removal: 'gone', detail: 'already gone (or re-created under the same name): nothing deleted' };
  }
  ctx.emit({ type: 'deleted', instance: pod.name });
  return { name: pod.name, removal: 'deleted' };
}

async function evictUntilAccepted(pod: Instance, ctx: RemoveContext): Promise<PodRemovalReport> {
  let lastBlock = '';
  let throttles = 0;
  for (let attempt = 1; ; attempt++) {
    ctx.emit({ type: 'evict-attempt', instance: pod.name, attempt });
    const answer = await ctx.workloads.evict(pod, ctx.signal);
    switch (answer.kind) {
      case 'evicted':
        ctx.emit({ type: 'evicted', instance: pod.name });
        return { name: pod.name, removal: 'evicted' };
      case 'gone':
        ctx.emit({ type: 'gone', instance: pod.name, how: 'not-found' });
        return { name: pod.name, removal: 'gone', detail: 'already gone when evicting' };
      case 'blocked-by-pdb': {
        const jitter = Math.round(ctx.random() * 0.2 * ctx.settings.evictionRetryMs);
        const retryInMs = Math.max(ctx.settings.evictionRetryMs + jitter, answer.retryAfterMs ?? 0);
        const numbers = await pdbNumbers(pod, answer.pdb, ctx);
        ctx.emit({ type: 'evict-blocked', instance: pod.name, ...numbers, message: answer.message, retryInMs });
        lastBlock = `eviction blocked by ${numbers.pdb ? `PodDisruptionBudget ${numbers.pdb}` : 'a PodDisruptionBudget'}${numbers.healthy !== undefined ? ` (healthy ${numbers.healthy}, needs ${numbers.needed})` : ''}`;
        if (!(await sleepOrDeadline(retryInMs, ctx))) return { name: pod.name, removal: 'blocked', detail: `${lastBlock} until the deadline; drained, not removed` };
        break;
      }
      case 'throttled': {
        const retryInMs = Math.min(ctx.settings.throttleCapMs, Math.max(answer.retryAfterMs, backoffDelay(throttles++, 1_000, ctx.settings.throttleCapMs, ctx.random)));
        ctx.emit({ type: 'evict-throttled', instance: pod.name, message: answer.message, retryInMs });
        if (!(await sleepOrDeadline(retryInMs, ctx))) {
          return { name: pod.name, removal: 'blocked', detail: `${lastBlock || 'the API server kept throttling the eviction'} until the deadline; drained, not removed` };
        }
        break;
      }
    }
  }
}

async function pdbNumbers(pod: Instance, named: string | undefined, ctx: RemoveContext): Promise<{ pdb?: string; healthy?: number; needed?: number }> {
  try {
    const pdbs = await ctx.workloads.pdbsFor(pod, ctx.signal);
    const pdb = pdbs.find((p) => p.name === named) ?? (named === undefined && pdbs.length === 1 ? pdbs[0] : undefined);
    if (pdb) return { pdb: pdb.name, healthy: pdb.currentHealthy, needed: pdb.desiredHealthy };
  } catch (error) {
    if (isAbortError(error) || ctx.signal.aborted) throw error;
  }
  return named ? { pdb: named } : {};
}

/** False when the deadline comes first (no sleep past it). */
async function sleepOrDeadline(ms: number, ctx: RemoveContext): Promise<boolean> {
  if (ctx.deadline.remaining() < ms) {
    await ctx.clock.sleep(ctx.deadline.remaining(), ctx.signal);
    return false;
  }
  await ctx.clock.sleep(ms, ctx.signal);
  return true;
}

async function waitGone(pod: Instance, ctx: RemoveContext): Promise<'not-found' | 'replaced' | undefined> {
  const result = await pollUntilDeadline({
    clock: ctx.clock,
    deadline: ctx.deadline,
    signal: ctx.signal,
    intervalMs: ctx.settings.pollIntervalMs,
    random: ctx.random,
    look: async () => goneHow(pod.uid, await ctx.fleet.get(pod.name, ctx.signal)),
  });
  if (result.kind === 'deadline') return undefined;
  ctx.emit({ type: 'gone', instance: pod.name, how: result.value });
  return result.value;
}
