import { ConflictError, InterruptedError, RefusedError, TimeoutError } from '../../ops/errors.js';
import type { MigrationResult } from '../../ops/migrate/result.js';

/** The exit a migration's outcome maps to; undefined = success. */
export function migrationFailure(result: MigrationResult): Error | undefined {
  switch (result.outcome) {
    case 'completed':
    case 'nothing-to-move':
    case 'planned':
      return undefined;
    case 'refused':
      return new RefusedError(result.message, 'add receivers or room (--max-connections), or move fewer with --count');
    case 'timeout':
      return new TimeoutError(result.message, 'the clients moved so far are on the receivers; re-run to move the rest');
    case 'interrupted':
      return new InterruptedError(result.message, 'the clients moved so far are on the receivers; re-run to move the rest');
    case 'failed':
      return new ConflictError(result.message, 'someone else may hold the lock now; look before re-running');
  }
}
