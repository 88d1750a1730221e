// Status error bodies, shaped and worded like the real API server's.

import type { ResourceType } from './resources.js';
import { qualifiedResource } from './resources.js';

export type StatusReason =
  | 'NotFound'
  | 'Conflict'
  | 'AlreadyExists'
  | 'Invalid'
  | 'TooManyRequests'
  | 'Forbidden'
  | 'Unauthorized'
  | 'MethodNotAllowed'
  | 'BadRequest'
  | 'UnsupportedMediaType'
  | 'NotAcceptable'
  | 'Expired'
  | 'Gone'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout'
  | '';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** A failure the API answers with a Status body. Thrown by the store and the routes. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toStatus(): StatusBody {
    return failureStatus(this.code, this.reason, this.message, this.details);
  }
}

export function failureStatus(code: number, reason: StatusReason, message: string, details?: StatusDetails): StatusBody {
  const body: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details && Object.keys(details).length > 0) body.details = details;
  return body;
}

export function successStatus(code = 200, details?: StatusDetails): StatusBody {
  const body: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code };
  if (details) body.details = details;
  return body;
}

type Res = Pick<ResourceType, 'plural' | 'group'>;

function ref(type: Res, name: string): StatusDetails {
  return type.group ? { name, group: type.group, kind: type.plural } : { name, kind: type.plural };
}

export function notFound(type: Res, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(type)} "${name}" not found`, ref(type, name));
}

export function alreadyExists(type: Res, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(type)} "${name}" already exists`, ref(type, name));
}

export function conflict(type: Res, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    ref(type, name),
  );
}

export interface FieldProblem {
  field: string;
  /** "Invalid value: -1: must be greater than or equal to 0" */
  detail: string;
  reason?: string;
}

/** 422: `StatefulSet.apps "gw" is invalid: spec.replicas: Invalid value: -1: …`. */
export function invalid(kind: string, group: string, name: string, problems: FieldProblem[]): ApiError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const list = problems.map((p) => `${p.field}: ${p.detail}`);
  const summary = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, {
    name,
    ...(group ? { group } : {}),
    kind,
    causes: problems.map((p) => ({ reason: p.reason ?? 'FieldValueInvalid', message: p.detail, field: p.field })),
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function methodNotAllowed(): ApiError {
  return new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export function unsupportedPatchType(contentType: string): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json` +
      (contentType ? ` (got ${contentType})` : ''),
  );
}
