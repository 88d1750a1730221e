// A strict reader of the Prometheus text exposition format 0.0.4, just enough to take one gauge
// from a gateway's /metrics. Unlike lenient parsers it refuses what it does not understand: a
// garbage line makes the whole answer unusable, because a count read from a document we only
// half understood is not a count we can trust (RELIABILITY rule 1).

import type { Parsed } from './strict-json.js';

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  /** The value token as written (`12`, `1.5e3`, `NaN`, `+Inf`). */
  value: string;
  /** 1-based line number, for error messages. */
  line: number;
}

const METRIC_NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const BLANKS = /[ \t]*/y;
const FLOAT = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?Inf|NaN)$/;
const TIMESTAMP = /^-?\d+$/;
const METRIC_TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const LABEL_ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', n: '\n' };

export function parsePrometheusText(text: string): Parsed<PromSample[]> {
  const samples: PromSample[] = [];
  const seen = new Set<string>();
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.replace(/\r$/, '');
    const lineNumber = index + 1;
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      const problem = commentProblem(trimmed);
      if (problem) return { ok: false, reason: `line ${lineNumber}: ${problem}` };
      continue;
    }
    const sample = parseSampleLine(line, lineNumber);
    if (!sample.ok) return { ok: false, reason: `line ${lineNumber}: ${sample.reason}` };
    const key = seriesKey(sample.value);
    if (seen.has(key)) return { ok: false, reason: `line ${lineNumber}: duplicate series ${key}` };
    seen.add(key);
    samples.push(sample.value);
  }
  return { ok: true, value: samples };
}

/**
 * The active-connection count from an exposition: the sum of every series of `metric`, or, when
 * `labels` is given, the one series whose label set is exactly `labels`. Each value used must be
 * a non-negative integer.
 */
export function countFromPrometheus(text: string, metric: string, labels?: Record<string, string>): Parsed<number> {
  const parsed = parsePrometheusText(text);
  if (!parsed.ok) return parsed;
  let series = parsed.value.filter((sample) => sample.name === metric);
  if (labels) {
    const wanted = seriesKey({ name: metric, labels });
    series = series.filter((sample) => seriesKey(sample) === wanted);
    if (series.length === 0) return { ok: false, reason: `series ${wanted} not found` };
  } else if (series.length === 0) {
    return { ok: false, reason: `metric ${metric} not found` };
  }
  let total = 0;
  for (const sample of series) {
    const value = integerValue(sample.value);
    if (value === undefined) {
      return { ok: false, reason: `line ${sample.line}: ${metric} is ${sample.value}, not a non-negative integer` };
    }
    total += value;
  }
  if (!Number.isSafeInteger(total)) return { ok: false, reason: `${metric} sums to ${total}, beyond a safe integer` };
  return { ok: true, value: total };
}

function integerValue(token: string): number | undefined {
  if (!/^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(token)) return undefined;
  const value = Number(token);
  return Number.isSafeInteger(value) ? value : undefined;
}

function commentProblem(comment: string): string | undefined {
  const [, keyword, name, rest] = /^#[ \t]*(HELP|TYPE)(?:[ \t]+(\S+))?(?:[ \t]+(.*))?$/.exec(comment) ?? [];
  if (!keyword) return undefined; // an ordinary comment
  if (!name || !isWhole(METRIC_NAME, name)) return `# ${keyword} without a valid metric name`;
  if (keyword === 'TYPE' && !METRIC_TYPES.has((rest ?? '').trim())) return `# TYPE ${name} has an unknown type`;
  return undefined;
}

function parseSampleLine(line: string, lineNumber: number): Parsed<PromSample> {
  let position = skip(BLANKS, line, 0);
  const name = match(METRIC_NAME, line, position);
  if (!name) return { ok: false, reason: 'expected a metric name' };
  position = skip(BLANKS, line, position + name.length);

  let labels: Record<string, string> = {};
  if (line[position] === '{') {
    const parsedLabels = parseLabels(line, position + 1);
    if (!parsedLabels.ok) return parsedLabels;
    labels = parsedLabels.value.labels;
    position = parsedLabels.value.end;
  }

  const tokens = line.slice(position).trim().split(/[ \t]+/);
  const [value, timestamp, ...extra] = tokens;
  if (!value) return { ok: false, reason: `${name} has no value` };
  if (!FLOAT.test(value)) return { ok: false, reason: `${name} has an invalid value` };
  if (timestamp !== undefined && !TIMESTAMP.test(timestamp)) return { ok: false, reason: `${name} has an invalid timestamp` };
  if (extra.length > 0) return { ok: false, reason: `unexpected text after ${name}'s value` };
  return { ok: true, value: { name, labels, value, line: lineNumber } };
}

/** Labels from just after `{` to just after the matching `}`. */
function parseLabels(line: string, start: number): Parsed<{ labels: Record<string, string>; end: number }> {
  const labels: Record<string, string> = {};
  let position = skip(BLANKS, line, start);
  while (line[position] !== '}') {
    const name = match(LABEL_NAME, line, position);
    if (!name) return { ok: false, reason: 'expected a label name' };
    if (Object.hasOwn(labels, name)) return { ok: false, reason: `label ${name} appears twice` };
    position = skip(BLANKS, line, position + name.length);
    if (line[position] !== '=') return { ok: false, reason: `expected '=' after label ${name}` };
    position = skip(BLANKS, line, position + 1);
    if (line[position] !== '"') return { ok: false, reason: `expected a quoted value for label ${name}` };
    const value = parseQuoted(line, position + 1);
    if (!value.ok) return { ok: false, reason: `label ${name}: ${value.reason}` };
    labels[name] = value.value.text;
    position = skip(BLANKS, line, value.value.end);
    if (line[position] === ',') position = skip(BLANKS, line, position + 1);
    else if (line[position] !== '}') return { ok: false, reason: `expected ',' or '}' after label ${name}` };
  }
  return { ok: true, value: { labels, end: position + 1 } };
}

function parseQuoted(line: string, start: number): Parsed<{ text: string; end: number }> {
  let text = '';
  for (let position = start; position < line.length; position++) {
    const char = line[position]!;
    if (char === '"') return { ok: true, value: { text, end: position + 1 } };
    if (char !== '\\') {
      text += char;
      continue;
    }
    const escaped = LABEL_ESCAPES[line[position + 1] ?? ''];
    if (escaped === undefined) return { ok: false, reason: 'invalid escape in value' };
    text += escaped;
    position++;
  }
  return { ok: false, reason: 'unterminated value' };
}

function seriesKey(sample: Pick<PromSample, 'name' | 'labels'>): string {
  const labels = Object.keys(sample.labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(sample.labels[name])}`);
  return labels.length === 0 ? sample.name : `${sample.name}{${labels.join(',')}}`;
}

function match(pattern: RegExp, text: string, position: number): string | undefined {
  pattern.lastIndex = position;
  return pattern.exec(text)?.[0] || undefined;
}

function skip(pattern: RegExp, text: string, position: number): number {
  return position + (match(pattern, text, position)?.length ?? 0);
}

function isWhole(pattern: RegExp, text: string): boolean {
  return match(pattern, text, 0) === text;
}
