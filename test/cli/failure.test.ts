// The one outcome → typed failure table, through the exit-code table: what each outcome of every
// op exits with (RELIABILITY.md's codes).
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { failureOf, type OpOutcome } from '../../src/commands/shared/index.js';

const EXPECTED: Record<OpOutcome, number> = {
  drained: 0,
  undrained: 0,
  removed: 0,
  scaled: 0,
  unchanged: 0,
  planned: 0,
  verified: 0,
  completed: 0,
  'nothing-to-move': 0,
  balanced: 0,
  rebalanced: 0,
  usage: 2,
  refused: 3,
  'not-confirmed': 3,
  timeout: 4,
  stalled: 4,
  conflict: 5,
  failed: 5,
  interrupted: 130,
  restarted: 1,
  'not-verified': 1,
};

describe('failureOf', () => {
  for (const [outcome, code] of Object.entries(EXPECTED) as [OpOutcome, number][]) {
    it(`${outcome} → exit ${code}`, () => {
      const failure = failureOf(outcome, `the ${outcome} message`, 'the hint');
      if (code === 0) {
        expect(failure).toBeUndefined();
        return;
      }
      expect(failure).toBeDefined();
      expect(exitCodeFor(failure)).toBe(code);
      expect(failure!.message).toBe(`the ${outcome} message`);
      expect(failure!.hint).toBe('the hint');
    });
  }
});
