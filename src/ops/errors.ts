// Typed failures. Each carries the kind that cli/exit-codes.ts maps to an exit code, so the
// mapping lives in one place. Ops, adapters and commands throw these; nobody else picks a code.

export type FailureKind =
  | 'verification-failed' // 1: not sticky, silent drops
  | 'usage' //               2: bad input, nothing changed
  | 'refused' //             3: a safety check said no, nothing changed
  | 'timeout' //             4: a deadline passed, state described
  | 'conflict' //            5: lost a race (409, colleague), state described
  | 'interrupted'; //        130: SIGINT/SIGTERM, state described

export class ConduitError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** One line telling the operator what to do next. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UsageError extends ConduitError {
  constructor(message: string, hint?: string) {
    super('usage', message, hint);
  }
}

export class RefusedError extends ConduitError {
  constructor(message: string, hint?: string) {
    super('refused', message, hint);
  }
}

export class TimeoutError extends ConduitError {
  constructor(message: string, hint?: string) {
    super('timeout', message, hint);
  }
}

export class ConflictError extends ConduitError {
  constructor(message: string, hint?: string) {
    super('conflict', message, hint);
  }
}

export class InterruptedError extends ConduitError {
  constructor(message: string, hint?: string) {
    super('interrupted', message, hint);
  }
}

export class VerificationError extends ConduitError {
  constructor(message: string, hint?: string) {
    super('verification-failed', message, hint);
  }
}

export type GatewayFailure =
  | 'unauthorized' // 401/403: stop at once, name the endpoint, never the token
  | 'timeout'
  | 'unreachable' // connection refused/reset, DNS
  | 'tls'
  | 'http' // other non-2xx
  | 'unsupported' // 404/405 from a write endpoint: this gateway cannot be driven this way (exit 3, at once)
  | 'malformed'; // a body that does not match the contract

/** A gateway admin call failed. `endpoint` names the URL without credentials. */
export class GatewayError extends ConduitError {
  constructor(
    readonly failure: GatewayFailure,
    readonly endpoint: string,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(failure === 'unauthorized' || failure === 'tls' || failure === 'unsupported' ? 'refused' : 'timeout', message);
  }
}
