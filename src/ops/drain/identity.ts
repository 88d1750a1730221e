// Is this still the gateway process we asked to drain? A StatefulSet re-creates a pod under the
// same name with a new uid, and a container restart bumps restarts: either way the connections it
// held were dropped by the restart, not drained (RELIABILITY rule 3, kubectl's "gone = NotFound or
// a different UID").

import { isAbortError } from '../../util/abort.js';
import type { Fleet, Instance } from '../ports/index.js';

export type IdentityCheck =
  | { kind: 'same'; current: Instance }
  | { kind: 'gone' }
  | { kind: 'restarted'; current: Instance; change: string }
  /** The fleet could not be read: whether it is the same process is unknown. */
  | { kind: 'unreadable'; reason: string };

/** Pure comparison of the instance at the start of the run with a fresh read. */
export function compareIdentity(before: Instance, after: Instance | undefined): IdentityCheck {
  if (!after) return { kind: 'gone' };
  if (before.uid !== undefined && after.uid !== undefined && before.uid !== after.uid) {
    return { kind: 'restarted', current: after, change: `uid ${before.uid} → ${after.uid}` };
  }
  if ((after.restarts ?? 0) > (before.restarts ?? 0)) {
    return { kind: 'restarted', current: after, change: `restarts ${before.restarts ?? 0} → ${after.restarts}` };
  }
  return { kind: 'same', current: after };
}

export async function checkIdentity(fleet: Fleet, before: Instance, signal: AbortSignal): Promise<IdentityCheck> {
  try {
    return compareIdentity(before, await fleet.get(before.name, signal));
  } catch (error) {
    if (isAbortError(error) || signal.aborted) throw error;
    return { kind: 'unreadable', reason: error instanceof Error ? error.message : String(error) };
  }
}
