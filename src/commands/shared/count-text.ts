import type { Count } from '../../ops/ports/index.js';

/** A count as a cell: a number, or "unknown" — never 0 for a count that was not read. */
export function countText(count: Count): string {
  return count.known ? String(count.value) : 'unknown';
}
