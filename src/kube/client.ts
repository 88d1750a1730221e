// The typed API clients of one kubeconfig, and the one way every call is made: with a per-request
// timeout, the caller's AbortSignal, and failures read into an ApiFailure.

import {
  AppsV1Api,
  AuthorizationV1Api,
  AutoscalingV2Api,
  CoordinationV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  Observable,
  PolicyV1Api,
  PatchStrategy,
  setHeaderOptions,
  type ConfigurationOptions,
  type KubeConfig,
  type ObservableMiddleware,
  type RequestContext,
} from '@kubernetes/client-node';
import { setTimeout as delay } from 'node:timers/promises';
import { classifyFailure, readApiFailure, type ApiFailure, type KubeOperation } from './errors.js';
import { callMiddleware, type RequestExtras } from './request-trace.js';

export interface KubeApis {
  core: CoreV1Api;
  apps: AppsV1Api;
  policy: PolicyV1Api;
  autoscaling: AutoscalingV2Api;
  coordination: CoordinationV1Api;
  discovery: DiscoveryV1Api;
  authorization: AuthorizationV1Api;
}

export function makeApis(kc: KubeConfig): KubeApis {
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    policy: kc.makeApiClient(PolicyV1Api),
    autoscaling: kc.makeApiClient(AutoscalingV2Api),
    coordination: kc.makeApiClient(CoordinationV1Api),
    discovery: kc.makeApiClient(DiscoveryV1Api),
    authorization: kc.makeApiClient(AuthorizationV1Api),
  };
}

export type CallOutcome<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

/** Per-call options handed to a generated method: `merge` adds the merge-patch Content-Type. */
export interface CallOptions {
  plain: ConfigurationOptions;
  mergePatch: ConfigurationOptions;
}

/** Throttled reads are retried this many times when Retry-After is short enough; writes never are. */
const THROTTLE_RETRIES = 3;
const MAX_HONOURED_RETRY_AFTER_MS = 30_000;
const DEFAULT_THROTTLE_WAIT_MS = 1_000;

function signalMiddleware(signal: AbortSignal): ObservableMiddleware {
  return {
    pre: (context: RequestContext) => {
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
}

/** Rejects with the signal's reason as soon as it aborts, whatever the wrapped promise does. */
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
    /** Impersonation headers and the -v=6/8 trace (request-trace.ts). */
    private readonly extras: RequestExtras = {},
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
    const traced = callMiddleware(this.extras);
    const plain: ConfigurationOptions = { middleware: [signalMiddleware(combined), ...(traced ? [traced] : [])], middlewareMergeStrategy: 'append' };
    const options: CallOptions = { plain, mergePatch: setHeaderOptions('Content-Type', PatchStrategy.MergePatch, plain) };
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
