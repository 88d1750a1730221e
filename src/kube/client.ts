// The one way every API call is made: with a per-request timeout, the caller's AbortSignal, and
// failures read into an ApiFailure.

import { setTimeout as delay } from 'node:timers/promises';
import { MERGE_PATCH, STRATEGIC_MERGE_PATCH, type KubeApis, type RequestOptions } from './api.js';
import { classifyFailure, readApiFailure, type ApiFailure, type KubeOperation } from './errors.js';

export type CallOutcome<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

/** Per-call options handed to an API method: the patch ones add their patch Content-Type. */
export interface CallOptions {
  plain: RequestOptions;
  mergePatch: RequestOptions;
  strategicMergePatch: RequestOptions;
}

/** Throttled reads are retried this many times when Retry-After is short enough; writes never are. */
const THROTTLE_RETRIES = 3;
const MAX_HONOURED_RETRY_AFTER_MS = 30_000;
const DEFAULT_THROTTLE_WAIT_MS = 1_000;

/** Rejects with the signal's reason as soon as it aborts, even while an exec credential plugin runs. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export class KubeClient {
  constructor(
    readonly apis: KubeApis,
    readonly namespace: string,
    readonly requestTimeoutMs: number,
  ) {}

  /**
   * One API call. Resolves to the value or to the failure (so callers can act on 404/409/429);
   * rejects only with the caller's abort reason. Throttled reads (get/list and access reviews) wait
   * out a short Retry-After a few times; writes never are retried here.
   */
  async attempt<T>(op: KubeOperation, run: (apis: KubeApis, options: CallOptions) => Promise<T>, signal?: AbortSignal): Promise<CallOutcome<T>> {
    const retriesThrottle = op.verb === 'get' || op.verb === 'list' || op.resource.startsWith('selfsubjectaccessreviews');
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.once(run, signal);
      if (outcome.ok || outcome.failure.status !== 429 || !retriesThrottle || attempt >= THROTTLE_RETRIES) return outcome;
      const wait = outcome.failure.retryAfterHeaderMs ?? outcome.failure.retryAfterSecondsMs ?? DEFAULT_THROTTLE_WAIT_MS;
      if (wait > MAX_HONOURED_RETRY_AFTER_MS) return outcome;
      try {
        await delay(wait, undefined, signal ? { signal } : {});
      } catch (error) {
        throw signal?.aborted ? signal.reason : error;
      }
    }
  }

  /** One call whose every failure is a typed error. */
  async call<T>(op: KubeOperation, run: (apis: KubeApis, options: CallOptions) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const outcome = await this.attempt(op, run, signal);
    if (outcome.ok) return outcome.value;
    throw classifyFailure(outcome.failure, op);
  }

  private async once<T>(run: (apis: KubeApis, options: CallOptions) => Promise<T>, signal?: AbortSignal): Promise<CallOutcome<T>> {
    signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(this.requestTimeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const options: CallOptions = {
      plain: { signal: combined },
      mergePatch: { signal: combined, contentType: MERGE_PATCH },
      strategicMergePatch: { signal: combined, contentType: STRATEGIC_MERGE_PATCH },
    };
    try {
      return { ok: true, value: await raceAbort(run(this.apis, options), combined) };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) {
        return { ok: false, failure: { message: `no answer within ${this.requestTimeoutMs} ms`, causes: [], networkCode: 'ETIMEDOUT' } };
      }
      const failure = readApiFailure(error);
      if (!failure) throw error;
      return { ok: false, failure };
    }
  }

  /** The same operation, with this client's namespace filled in. */
  op(verb: string, resource: string, name?: string): KubeOperation {
    return { verb, resource, namespace: this.namespace, ...(name !== undefined ? { name } : {}) };
  }
}
