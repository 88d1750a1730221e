// RELIABILITY: "admin 401/403 → stop at once, name the endpoint"; "TLS invalid → fail closed";
// "drain endpoint answers 404/405 → this gateway cannot be drained this way, exit 3 at once".
// Writes throw these as GatewayError; reads report them as a failure on an unknown value, which
// a drain turns into the same error, because polling on with a rejected token changes nothing.

import { GatewayError, type GatewayFailure } from '../errors.js';
import type { Instance } from '../ports/index.js';

export function isFatalFailure(failure: GatewayFailure | undefined): failure is 'unauthorized' | 'tls' | 'unsupported' {
  return failure === 'unauthorized' || failure === 'tls' || failure === 'unsupported';
}

export function isFatalGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError && isFatalFailure(error.failure);
}

interface FailedRead {
  failure?: GatewayFailure;
  reason?: string;
  httpStatus?: number;
}

/** Throw a GatewayError when a read failed with 401/403 or a TLS error. */
export function throwIfFatalRead(instance: Instance, what: string, read: FailedRead): void {
  if (!isFatalFailure(read.failure)) return;
  const endpoint = `${what} of ${instance.name}`;
  throw new GatewayError(read.failure, endpoint, `${endpoint}: ${read.reason ?? read.failure}`, read.httpStatus);
}
