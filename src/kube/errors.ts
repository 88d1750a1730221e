// What a failed API call means for conduitctl: read the status, the Status body, the Retry-After
// header or the network error code, then map it to a typed error (404 → usage, 403 → refused,
// 409 → conflict, 422 → usage, 429/5xx/network → transient). Messages never carry credentials.

import { KubeHttpError } from './rest.js';
import { ConflictError, RefusedError, TimeoutError, UsageError, type ConduitError } from '../ops/errors.js';

/** What a call was doing, for messages: `cannot patch statefulsets/scale "gw" in namespace "prod"`. */
export interface KubeOperation {
  verb: string;
  /** `pods`, `statefulsets/scale`, `pods/eviction`, `leases.coordination.k8s.io` … */
  resource: string;
  name?: string;
  namespace?: string;
}

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** A failed call, read once: HTTP status and Status body, or the network error. */
export interface ApiFailure {
  /** HTTP status; undefined for network failures and timeouts. */
  status?: number;
  /** Status.reason (`NotFound`, `Conflict`, `TooManyRequests` …). */
  reason?: string;
  /** The API server's message, redacted. */
  message: string;
  causes: StatusCause[];
  /** details.retryAfterSeconds of the Status body, in ms. */
  retryAfterSecondsMs?: number;
  /** The Retry-After header, in ms. */
  retryAfterHeaderMs?: number;
  /** ECONNREFUSED, ECONNRESET, ETIMEDOUT (our own request timeout), a TLS code … */
  networkCode?: string;
}

/** A failure that may pass: throttling, 5xx, unreachable, timed out. Callers retry with backoff. */
export class KubeUnavailableError extends TimeoutError {
  constructor(
    message: string,
    readonly failure: ApiFailure,
    /** How long the server asked us to wait (Retry-After or retryAfterSeconds), when it did. */
    readonly retryAfterMs?: number,
  ) {
    super(message, 'the Kubernetes API server is unavailable or throttling; retry shortly');
  }
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

/** Removes anything that looks like a credential from text the API server or a library produced. */
export function redactCredentials(text: string): string {
  return text
    .replace(/\b(Bearer|Basic)\s+[^\s"',;]+/gi, '$1 ***')
    .replace(/("?(?:token|authorization|password|client-key-data|client-key)"?\s*[:=]\s*)("[^"]*"|[^\s,;}]+)/gi, '$1***');
}

export function describeOperation(op: KubeOperation): string {
  const target = op.name ? `${op.resource} "${op.name}"` : op.resource;
  return op.namespace ? `${op.verb} ${target} in namespace "${op.namespace}"` : `${op.verb} ${target}`;
}

function parseRetryAfterHeader(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

interface StatusBody {
  kind?: string;
  reason?: string;
  message?: string;
  details?: { causes?: StatusCause[]; retryAfterSeconds?: number };
}

function parseStatusBody(body: unknown): StatusBody | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  return value !== null && typeof value === 'object' ? (value as StatusBody) : undefined;
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Reads any error an API call can throw; undefined when it is not an API or network failure. */
export function readApiFailure(error: unknown): ApiFailure | undefined {
  if (error instanceof KubeHttpError) {
    const status = parseStatusBody(error.body);
    const retryAfterSeconds = status?.details?.retryAfterSeconds;
    const retryAfterHeaderMs = parseRetryAfterHeader(headerValue(error.headers, 'retry-after'));
    return {
      status: error.code,
      ...(status?.reason ? { reason: status.reason } : {}),
      message: redactCredentials(status?.message ?? (typeof error.body === 'string' && error.body ? error.body.slice(0, 300) : `HTTP ${error.code}`)),
      causes: (status?.details?.causes ?? []).map((c) => ({ ...c, ...(c.message ? { message: redactCredentials(c.message) } : {}) })),
      ...(typeof retryAfterSeconds === 'number' && retryAfterSeconds >= 0 ? { retryAfterSecondsMs: retryAfterSeconds * 1000 } : {}),
      ...(retryAfterHeaderMs !== undefined ? { retryAfterHeaderMs } : {}),
    };
  }
  const code = errorCode(error);
  if (code === undefined && !(error instanceof Error && (error as { type?: string }).type === 'system')) return undefined;
  return { message: redactCredentials(error instanceof Error ? error.message : String(error)), causes: [], networkCode: code ?? 'ENETWORK' };
}

/** The typed error for a failed call (RELIABILITY.md: 404 → 2, 403 → 3, 409 → 5, 5xx/429/network → retry, 4). */
export function classifyFailure(failure: ApiFailure, op: KubeOperation): ConduitError {
  const what = describeOperation(op);
  const { status } = failure;
  if (status === undefined) {
    const code = failure.networkCode ?? 'ENETWORK';
    if (TLS_CODES.has(code)) {
      return new RefusedError(`cannot ${what}: TLS verification of the API server failed (${code})`, 'check the cluster CA in the kubeconfig, or pass --insecure-skip-tls-verify knowingly');
    }
    const why = code === 'ETIMEDOUT' ? failure.message : `API server unreachable (${code})`;
    return new KubeUnavailableError(`cannot ${what}: ${why}`, failure);
  }
  const api = failure.message ? `: ${failure.message}` : '';
  if (status === 404) {
    const object = op.name ? `${op.resource.split('/')[0]} "${op.name}"` : op.resource;
    return new UsageError(`${object} not found${op.namespace ? ` in namespace "${op.namespace}"` : ''}`);
  }
  if (status === 401) {
    return new RefusedError(`cannot ${what}: the API server rejected the credentials (401 Unauthorized)`, 'check the kubeconfig user or refresh the login');
  }
  if (status === 403) {
    return new RefusedError(`forbidden: cannot ${what}${api}`, 'ask for the Role in docs/rbac.md');
  }
  if (status === 409) return new ConflictError(`conflict: cannot ${what}${api}`);
  if (status === 400 || status === 422 || status === 415) return new UsageError(`rejected: cannot ${what}${api}`);
  if (status === 429) {
    const retryAfterMs = failure.retryAfterHeaderMs ?? failure.retryAfterSecondsMs;
    return new KubeUnavailableError(`throttled: cannot ${what} (429 Too Many Requests)${api}`, failure, retryAfterMs);
  }
  if (status >= 500) return new KubeUnavailableError(`cannot ${what}: API server error ${status}${api}`, failure, failure.retryAfterHeaderMs);
  return new RefusedError(`cannot ${what}: unexpected HTTP ${status}${api}`);
}
