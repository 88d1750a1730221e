// A StatefulSet's revision: a hash of its pod template, named `<set>-<hash>` as ControllerRevisions
// are, and stamped on each pod as the `controller-revision-hash` label.
import { createHash } from 'node:crypto';
import type { JsonMap } from '../kube-sim/store.js';

export const REVISION_LABEL = 'controller-revision-hash';

/** Key order must not change the hash: a patch may rebuild the template with keys reordered. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as JsonMap)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

// The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes).
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function revisionName(setName: string, template: unknown): string {
  const digest = createHash('sha256').update(canonicalJson(template ?? {})).digest();
  const suffix = [...digest.subarray(0, 10)].map((b) => SAFE_ALPHABET[b % SAFE_ALPHABET.length]).join('');
  return `${setName}-${suffix}`;
}

/** The `pod-template-hash` of a Deployment's template: the same hash, as a bare label value. */
export function templateHash(template: unknown): string {
  return revisionName('', template).slice(1);
}
