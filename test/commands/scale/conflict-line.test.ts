// Issue 14 item 9: the 409 of a scale write whose preconditions still hold (usually the
// StatefulSet's own status update) is said plainly; the raw Conflict only at -v.
import { describe, expect, it } from 'vitest';
import { eventLine } from '../../../src/commands/scale/render.js';

const conflict = {
  type: 'conflict-retry' as const,
  attempt: 1,
  message: 'Operation cannot be fulfilled on statefulsets.apps "conduit": the object has been modified',
};

describe('item 9: output — the 409 on the StatefulSet\'s own status update', () => {
  it('at default verbosity: plain words, no raw 409', () => {
    const line = eventLine(conflict, 0)!;
    expect(line).toContain('the StatefulSet changed while writing');
    expect(line).not.toMatch(/409|Conflict|Operation cannot be fulfilled/);
  });

  it('at -v: the details too', () => {
    expect(eventLine(conflict, 1)).toContain('409 Conflict: Operation cannot be fulfilled');
  });
});
