import { UsageError } from '../ops/errors.js';
import { DurationError, parseDuration, type DurationRules } from '../util/duration.js';

/** Flag parsers that turn bad input into a UsageError naming the flag and the valid forms (exit 2). */
export function durationFlag(flag: string, text: string, rules?: DurationRules): number {
  try {
    return parseDuration(text, rules);
  } catch (error) {
    if (error instanceof DurationError) throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
}

export function integerFlag(flag: string, text: string, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number {
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`${flag}: "${text}" is not a whole number`);
  const value = Number(text);
  if (value < min || value > max) {
    throw new UsageError(`${flag}: ${value} is out of range (${min}${max === Number.MAX_SAFE_INTEGER ? ' or more' : `–${max}`})`);
  }
  return value;
}

/** "20%" or "0.2" → 0.2 */
export function fractionFlag(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  if (!match) throw new UsageError(`${flag}: "${text}" is not a percentage such as 20%`);
  const value = match[2] ? Number(match[1]) / 100 : Number(match[1]);
  if (!(value >= 0 && value <= 10)) throw new UsageError(`${flag}: "${text}" is out of range`);
  return value;
}
