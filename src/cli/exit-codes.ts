import { ConduitError, type FailureKind } from '../ops/errors.js';

/** RELIABILITY.md's exit codes, in one place. */
export const EXIT = {
  ok: 0,
  'verification-failed': 1,
  usage: 2,
  refused: 3,
  timeout: 4,
  conflict: 5,
  interrupted: 130,
} as const satisfies Record<FailureKind | 'ok', number>;

/** commander's own parse errors (unknown option, missing argument, bad choice) are usage errors. */
function isCommanderUsageError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('commander.');
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof ConduitError) return EXIT[error.kind];
  if (isCommanderUsageError(error)) return EXIT.usage;
  // Anything unexpected: we cannot prove nothing changed, so it is not a usage error.
  return 1;
}
