// What a gateway's answers mean: health status, connection counts, drain and migrate replies.
// Everything here is pure: an HTTP answer in, a contract value (or why it is not one) out.

import type { Count, Health } from '../ops/ports/index.js';
import type { GatewayFailure } from '../ops/errors.js';
import type { CountSource, ResolvedGatewayConfig } from './config.js';
import type { HttpAnswer } from './http.js';
import { countFromPrometheus } from './prometheus.js';
import type { Redactor } from './redact.js';
import { countAtPath, isPlainObject, parseJson, strictCount, valueAtPath, type Parsed } from './strict-json.js';

const INSTANCE_HEADER = 'x-conduit-instance';
const MAX_INSTANCE_CHARS = 253;

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

export function isUnauthorized(status: number): boolean {
  return status === 401 || status === 403;
}

function unauthorizedMessage(method: string, display: string, status: number): string {
  return (
    `${method} ${display} answered ${status}: the admin token was rejected or is missing ` +
    '(set CONDUIT_ADMIN_TOKEN or --admin-token-file)'
  );
}

/** Non-2xx answer → why, with the right failure kind. */
export function httpFailure(
  answer: HttpAnswer,
  method: string,
  display: string,
  redactor: Redactor,
): { failure: GatewayFailure; reason: string } {
  const refusal = kubernetesStatusMessage(answer.body);
  if (isUnauthorized(answer.status) && refusal !== undefined) {
    // pods/proxy: the API server itself said no (RBAC or kubeconfig credentials), not the gateway.
    return {
      failure: 'unauthorized',
      reason: `${method} ${display} answered ${answer.status}: the Kubernetes API server refused it: ${redactor.snippet(refusal, 160)}`,
    };
  }
  if (isUnauthorized(answer.status)) {
    return { failure: 'unauthorized', reason: unauthorizedMessage(method, display, answer.status) };
  }
  return { failure: 'http', reason: `${method} ${display} answered ${answer.status}` };
}

/**
 * A 404/405 from the gateway itself (not the API server's pods/proxy, which answers a Kubernetes
 * Status): it has no such endpoint, so it cannot be drained (or undrained) this way at all.
 */
export function unsupportedWrite(answer: HttpAnswer, action: 'drained' | 'undrained', display: string): string | undefined {
  if (answer.status !== 404 && answer.status !== 405) return undefined;
  if (kubernetesStatusMessage(answer.body) !== undefined) return undefined;
  return `this gateway cannot be ${action} this way: POST ${display} answered ${answer.status} (no such endpoint)`;
}

/** The message of a Kubernetes `Status` error body, which only the API server sends. */
function kubernetesStatusMessage(body: string): string | undefined {
  const document = parseJson(body);
  if (!document.ok || !isPlainObject(document.value)) return undefined;
  const { kind, apiVersion, message } = document.value;
  if (kind !== 'Status' || apiVersion !== 'v1') return undefined;
  return typeof message === 'string' ? message : '';
}

export function unknownCount(reason: string, failure: GatewayFailure | undefined, snippet?: string): Count {
  return {
    known: false,
    reason,
    ...(snippet !== undefined ? { snippet } : {}),
    ...(failure ? { failure } : {}),
  };
}

/** The count in a 2xx answer of the count endpoint. */
export function countFromAnswer(answer: HttpAnswer, source: CountSource, redactor: Redactor): Count {
  const parsed =
    source.kind === 'json' ? countAtPath(answer.body, source.field) : countFromPrometheus(answer.body, source.metric, source.labels);
  const bootId = source.kind === 'json' ? bootIdOf(answer.body, redactor) : undefined;
  const boot = bootId === undefined ? {} : { bootId };
  if (parsed.ok) return { known: true, value: parsed.value, ...boot };
  return { ...unknownCount(redactor.redact(parsed.reason), 'malformed', redactor.snippet(answer.body)), ...boot };
}

const MAX_BOOT_ID_CHARS = 128;

/** The top-level `bootId` of a JSON count document, when the gateway offers one (a new one each start). */
function bootIdOf(body: string, redactor: Redactor): string | undefined {
  const document = parseJson(body);
  if (!document.ok || !isPlainObject(document.value)) return undefined;
  const { bootId } = document.value;
  if (typeof bootId !== 'string' || bootId === '' || bootId.length > MAX_BOOT_ID_CHARS) return undefined;
  return redactor.redact(bootId);
}

/** The `active` count a drain answer carries (unknown when absent or not a count). */
export function activeFromDrainAnswer(answer: HttpAnswer, redactor: Redactor): Count {
  const parsed = countAtPath(answer.body, 'active');
  if (parsed.ok) return { known: true, value: parsed.value };
  return unknownCount(`drain answer: ${redactor.redact(parsed.reason)}`, 'malformed', redactor.snippet(answer.body));
}

/** `{migrated, remaining}`: migrated must be a count; remaining may be unknown. */
export function migrateFromAnswer(answer: HttpAnswer, redactor: Redactor): Parsed<{ migrated: number; remaining: Count }> {
  const document = parseJson(answer.body);
  if (!document.ok) return document;
  const migrated = valueAtPath(document.value, 'migrated');
  const migratedCount = migrated.ok ? strictCount(migrated.value, 'migrated') : migrated;
  if (!migratedCount.ok) return migratedCount;
  const remainingField = valueAtPath(document.value, 'remaining');
  const remaining = remainingField.ok ? strictCount(remainingField.value, 'remaining') : remainingField;
  return {
    ok: true,
    value: {
      migrated: migratedCount.value,
      remaining: remaining.ok
        ? { known: true, value: remaining.value }
        : unknownCount(`migrate answer: ${remaining.reason}`, 'malformed', redactor.snippet(answer.body)),
    },
  };
}

type HealthFields = Pick<
  ResolvedGatewayConfig,
  'healthStatusField' | 'healthInstanceField' | 'healthOkValues' | 'healthDrainingValues'
>;

/** 200 + ok → ok; 503 or 2xx + draining → draining; anything else → unknown with the reason. */
export function healthFromAnswer(answer: HttpAnswer, method: string, display: string, fields: HealthFields, redactor: Redactor): Health {
  const document = parseJson(answer.body);
  const instance = instanceName(document.ok ? document.value : undefined, answer, fields.healthInstanceField, redactor);
  const base = { httpStatus: answer.status, ...(instance ? { instance } : {}) };
  if (isUnauthorized(answer.status)) {
    return { ...base, status: 'unknown', ...httpFailure(answer, method, display, redactor) };
  }
  const statusField = document.ok ? valueAtPath(document.value, fields.healthStatusField) : document;
  const status = statusField.ok ? statusField.value : undefined;
  if (typeof status === 'string') {
    if (fields.healthDrainingValues.includes(status) && (isSuccess(answer.status) || answer.status === 503)) {
      return { ...base, status: 'draining' };
    }
    if (fields.healthOkValues.includes(status) && isSuccess(answer.status)) return { ...base, status: 'ok' };
  }
  const why = !statusField.ok
    ? redactor.redact(statusField.reason)
    : `${fields.healthStatusField} is ${redactor.snippet(JSON.stringify(status) ?? 'undefined', 40)}`;
  return {
    ...base,
    status: 'unknown',
    failure: isSuccess(answer.status) || answer.status === 503 ? 'malformed' : 'http',
    reason: `HTTP ${answer.status}, ${why}: ${redactor.snippet(answer.body)}`,
  };
}

function instanceName(document: unknown, answer: HttpAnswer, field: string, redactor: Redactor): string | undefined {
  const fromBody = document === undefined ? undefined : valueAtPath(document, field);
  const header = answer.headers[INSTANCE_HEADER];
  const raw = fromBody?.ok && typeof fromBody.value === 'string' ? fromBody.value : Array.isArray(header) ? header[0] : header;
  const name = raw === undefined ? '' : redactor.snippet(raw, MAX_INSTANCE_CHARS);
  return name === '' ? undefined : name;
}
