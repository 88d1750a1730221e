import type { ConduitError } from '../../../ops/errors.js';
import type { MigrationOutcome, MigrationResult } from '../../../ops/migrate/result.js';
import { failureOf } from '../index.js';

const HINTS: Partial<Record<MigrationOutcome, string>> = {
  refused: 'add receivers or room (--max-connections), or move fewer with --count',
  timeout: 'the clients moved so far are on the receivers; re-run to move the rest',
  interrupted: 'the clients moved so far are on the receivers; re-run to move the rest',
  failed: 'someone else may hold the lock now; look before re-running',
};

/** The exit a migration's outcome maps to; undefined = success. */
export function migrationFailure(result: MigrationResult): ConduitError | undefined {
  return failureOf(result.outcome, result.message, HINTS[result.outcome]);
}
