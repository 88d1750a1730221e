// When is a removed pod gone? kubectl's waitForDelete rule, for every wait that needs it.

import type { Instance } from '../ports/index.js';

/** NotFound, or a different uid under the same name (its controller re-created it). */
export function goneHow(uid: string | undefined, current: Instance | undefined): 'not-found' | 'replaced' | undefined {
  if (!current) return 'not-found';
  if (uid !== undefined && current.uid !== undefined && current.uid !== uid) return 'replaced';
  return undefined;
}
