// One batch's POST /admin/migrate. A request that dies on the way (reset, timeout, 5xx) may have
// been executed: it is sent again with the SAME batch id, which the gateway answers from memory
// without moving anyone else. A 401/403/TLS failure is thrown at once; so is a 4xx or a malformed
// answer (sending it again would not help).

import { GatewayError } from '../errors.js';
import { backoffDelay } from '../../util/backoff.js';
import type { Clock, GatewayAdmin, Instance, MigrateRequest, MigrateResult } from '../ports/index.js';

export interface PostOptions {
  gateway: GatewayAdmin;
  clock: Clock;
  attempts: number;
  onRetry(attempt: number, reason: string, retryInMs: number): void;
  random?: () => number;
}

export async function postBatch(source: Instance, request: MigrateRequest & { batchId: string }, o: PostOptions): Promise<{ result: MigrateResult; attempts: number }> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      // No abort signal: once sent, a batch is seen through (Ctrl-C stops between batches).
      return { result: await o.gateway.migrate(source, request), attempts: attempt };
    } catch (error) {
      if (!isRetryable(error) || attempt >= o.attempts) throw error;
      const delay = backoffDelay(attempt - 1, 250, 2_000, o.random);
      o.onRetry(attempt + 1, (error as Error).message, delay);
      await o.clock.sleep(delay);
    }
  }
}

function isRetryable(error: unknown): boolean {
  if (!(error instanceof GatewayError)) return false;
  if (error.failure === 'timeout' || error.failure === 'unreachable') return true;
  return error.failure === 'http' && (error.httpStatus ?? 0) >= 500;
}
