// The one table from an operation's outcome to the typed failure the command throws (and so to
// its exit code, through cli/exit-codes.ts). A new outcome is one new row here.

import { ConflictError, InterruptedError, RefusedError, TimeoutError, UsageError, VerificationError, type ConduitError } from '../../ops/errors.js';

type FailureClass = new (message: string, hint?: string) => ConduitError;

const FAILURES = {
  // success: nothing to throw
  drained: undefined,
  undrained: undefined,
  removed: undefined,
  scaled: undefined,
  unchanged: undefined,
  planned: undefined,
  verified: undefined,
  completed: undefined,
  'nothing-to-move': undefined,
  balanced: undefined,
  rebalanced: undefined,
  // 2: the request itself is invalid, nothing changed
  usage: UsageError,
  // 3: a safety check said no, nothing changed
  refused: RefusedError,
  'not-confirmed': RefusedError,
  // 4: a deadline passed (or the controller stalled), state described
  timeout: TimeoutError,
  stalled: TimeoutError,
  // 5: someone else changed the object
  conflict: ConflictError,
  /** A migration stopped because its workload lock was lost. */
  failed: ConflictError,
  // 130
  interrupted: InterruptedError,
  // 1: connections were (or may have been) dropped
  restarted: VerificationError,
  'not-verified': VerificationError,
} as const satisfies Record<string, FailureClass | undefined>;

export type OpOutcome = keyof typeof FAILURES;

/** The typed failure of an outcome (undefined for success), carrying the command's message and hint. */
export function failureOf(outcome: OpOutcome, message: string, hint?: string): ConduitError | undefined {
  const Failure: FailureClass | undefined = FAILURES[outcome];
  return Failure ? new Failure(message, hint) : undefined;
}
