// Go-style durations, as kubectl takes them: 500ms, 30s, 5m, 1h30m. A bare number is refused
// (is "30" seconds or minutes?), so is 0 and anything negative; "forever" is the explicit way to
// wait without a deadline (RELIABILITY rule 4).

export const FOREVER = Number.POSITIVE_INFINITY;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
const MAX_MS = 7 * 24 * 3_600_000;

export const DURATION_FORMS = 'a positive duration with a unit, such as 500ms, 30s, 5m, 1h30m';

export class DurationError extends Error {}

export interface DurationRules {
  /** Accept "forever" (no deadline). */
  allowForever?: boolean;
  /** Accept 0 (e.g. --min-drain-time 0s). */
  allowZero?: boolean;
}

/** Parse a duration to milliseconds, or throw DurationError naming the valid forms. */
export function parseDuration(text: string, rules: DurationRules = {}): number {
  const input = text.trim();
  const forms = DURATION_FORMS + (rules.allowForever ? ', or "forever" for no deadline' : '');
  if (rules.allowForever && input === 'forever') return FOREVER;
  if (input === '' || !/^[\d.a-z]+$/.test(input)) throw new DurationError(`invalid duration "${text}": use ${forms}`);
  if (/^\d+(\.\d+)?$/.test(input)) {
    throw new DurationError(`invalid duration "${text}": a unit is required; use ${forms}`);
  }
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = PART.exec(input)) !== null) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    consumed = PART.lastIndex;
  }
  if (consumed !== input.length) throw new DurationError(`invalid duration "${text}": use ${forms}`);
  if (total === 0 && !rules.allowZero) throw new DurationError(`invalid duration "${text}": must be greater than zero; use ${forms}`);
  if (total > MAX_MS) throw new DurationError(`invalid duration "${text}": at most 168h (7 days); use ${forms}`);
  return Math.round(total);
}

/** 1500 → "1.5s", 90000 → "1m30s", Infinity → "forever". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'forever';
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(1))}s`;
  const totalSeconds = Math.round(ms / 1_000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}` || '0s';
}
