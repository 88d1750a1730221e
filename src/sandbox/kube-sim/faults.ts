// Injected API failures: match a request, then answer it with an error Status, a delay, or a reset.

import type { RequestInfo } from './request-info.js';
import { failureStatus, type StatusBody, type StatusCause, type StatusReason } from './status.js';

export interface FaultSpec {
  /** HTTP method to match; undefined matches every method. */
  method?: string;
  /** Regular expression tested against the request path (percent-encoded, without the query). */
  path?: string;
  verb?: string;
  /** 'pods', 'statefulsets/scale', 'pods/eviction' … */
  resource?: string;
  /** Status code to answer with. Without it (and without reset) the request only gets the latency. */
  status?: number;
  reason?: StatusReason;
  message?: string;
  causes?: StatusCause[];
  /** Sent as the Retry-After header (seconds). */
  retryAfterHeader?: number;
  /** Put into details.retryAfterSeconds of the Status body. */
  retryAfterSeconds?: number;
  latencyMs?: number;
  /** Destroy the connection instead of answering. */
  reset?: boolean;
  /** How many requests this fault applies to; undefined = until removed. */
  times?: number;
}

export interface Fault extends FaultSpec {
  id: string;
  /** Requests this fault has hit so far. */
  hits: number;
}

export type FaultAction =
  | { kind: 'none'; latencyMs: number }
  | { kind: 'reset'; latencyMs: number }
  | { kind: 'respond'; latencyMs: number; status: StatusBody; headers: Record<string, string> };

const DEFAULT_REASONS: Record<number, StatusReason> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'Conflict',
  410: 'Gone', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
};

export class FaultInjector {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    if (spec.path !== undefined) new RegExp(spec.path);
    const fault: Fault = { ...structuredClone(spec), id: String(this.nextId++), hits: 0 };
    this.faults.push(fault);
    return { ...fault };
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length < before;
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** The action for this request, consuming one use of the first matching fault. */
  take(method: string, path: string, info: RequestInfo): FaultAction {
    const fault = this.faults.find((f) => matches(f, method, path, info));
    if (!fault) return { kind: 'none', latencyMs: 0 };
    fault.hits += 1;
    if (fault.times !== undefined && fault.hits >= fault.times) this.remove(fault.id);
    const latencyMs = fault.latencyMs ?? 0;
    if (fault.reset) return { kind: 'reset', latencyMs };
    if (fault.status === undefined) return { kind: 'none', latencyMs };
    const reason = fault.reason ?? DEFAULT_REASONS[fault.status] ?? '';
    const details = {
      ...(fault.causes ? { causes: fault.causes } : {}),
      ...(fault.retryAfterSeconds !== undefined ? { retryAfterSeconds: fault.retryAfterSeconds } : {}),
    };
    const headers: Record<string, string> = fault.retryAfterHeader !== undefined ? { 'Retry-After': String(fault.retryAfterHeader) } : {};
    const message = fault.message ?? `injected fault: ${fault.status} ${reason}`;
    return { kind: 'respond', latencyMs, status: failureStatus(fault.status, reason, message, details), headers };
  }
}

function matches(fault: Fault, method: string, path: string, info: RequestInfo): boolean {
  if (fault.method !== undefined && fault.method.toUpperCase() !== method) return false;
  if (fault.path !== undefined && !new RegExp(fault.path).test(path)) return false;
  if (fault.verb !== undefined && fault.verb !== info.verb) return false;
  if (fault.resource !== undefined) {
    if (!info.isResource) return false;
    const full = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
    if (fault.resource !== full) return false;
  }
  return true;
}
