// Fault switches for testing clients of the admin contract (RELIABILITY.md "Gateway faults").
// They exist only when the gateway was started with --enable-faults; each instance has its own set.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resetConnection, sendError } from './http.js';

/** How a response misbehaves: never answer, answer late, answer 500, or reset the TCP connection. */
export type ResponseFault = 'hang' | `slow:${number}` | '500' | 'reset';

/** Metrics can additionally be unparseable, carry an odd `active` value, or lack it entirely. */
export type MetricsFault = ResponseFault | 'garbage' | { active: unknown } | { omitActive: true };

export interface FaultSettings {
  health: ResponseFault | null;
  metrics: MetricsFault | null;
  prometheus: MetricsFault | null;
  /** "ignore": POST /admin/drain answers 202 but the instance never drains. */
  drain: 'ignore' | null;
  /** "skip": every tick skips one sequence number (clients see a gap of 1 per tick). */
  ticks: 'skip' | null;
}

export type FaultPatch = Partial<FaultSettings>;

export class FaultSpecError extends Error {}

export function noFaults(): FaultSettings {
  return { health: null, metrics: null, prometheus: null, drain: null, ticks: null };
}

const FAULT_KEYS: ReadonlyArray<keyof FaultSettings> = ['health', 'metrics', 'prometheus', 'drain', 'ticks'];

/** Validates a `POST /_faults` body (or the values of `--fault key=value`). */
export function parseFaultPatch(body: unknown): FaultPatch {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FaultSpecError('fault body must be a JSON object');
  }
  const patch: FaultPatch = {};
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case 'health':
        patch.health = value === null ? null : parseResponseFault(key, value);
        break;
      case 'metrics':
      case 'prometheus':
        patch[key] = value === null ? null : parseMetricsFault(key, value);
        break;
      case 'drain':
        if (value !== null && value !== 'ignore') throw new FaultSpecError('drain must be "ignore" or null');
        patch.drain = value;
        break;
      case 'ticks':
        if (value !== null && value !== 'skip') throw new FaultSpecError('ticks must be "skip" or null');
        patch.ticks = value;
        break;
      default:
        throw new FaultSpecError(`unknown fault "${key}" (known: ${FAULT_KEYS.join(', ')})`);
    }
  }
  return patch;
}

/** Parses one `--fault key=value` flag; metrics values starting with `{` are JSON. */
export function parseFaultFlag(flag: string): FaultPatch {
  const eq = flag.indexOf('=');
  if (eq <= 0) throw new FaultSpecError(`--fault must look like key=value, got "${flag}"`);
  const key = flag.slice(0, eq);
  const raw = flag.slice(eq + 1);
  let value: unknown = raw;
  if (raw === 'null') value = null;
  else if (raw.startsWith('{')) {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new FaultSpecError(`--fault ${key}: value is not valid JSON`);
    }
  }
  return parseFaultPatch({ [key]: value });
}

function parseResponseFault(key: string, value: unknown): ResponseFault {
  if (value === 'hang' || value === '500' || value === 'reset') return value;
  if (typeof value === 'string' && /^slow:\d{1,7}$/.test(value)) return value as `slow:${number}`;
  throw new FaultSpecError(`${key} must be "hang", "slow:MS", "500", "reset" or null`);
}

function parseMetricsFault(key: string, value: unknown): MetricsFault {
  if (value === 'garbage') return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    if ('active' in value && Object.keys(value).length === 1) return { active: value.active };
    if ('omitActive' in value && value.omitActive === true && Object.keys(value).length === 1) {
      return { omitActive: true };
    }
    throw new FaultSpecError(`${key} object must be {"active": <any JSON>} or {"omitActive": true}`);
  }
  try {
    return parseResponseFault(key, value);
  } catch {
    throw new FaultSpecError(
      `${key} must be "hang", "slow:MS", "500", "reset", "garbage", {"active": …}, {"omitActive": true} or null`,
    );
  }
}

/** Answers through `answer` unless a response fault says to hang, delay, fail or reset. */
export function answerWithFault(
  fault: MetricsFault | null,
  req: IncomingMessage,
  res: ServerResponse,
  answer: () => void,
): void {
  if (fault === 'hang') return;
  if (fault === '500') return sendError(res, 500, 'injected fault');
  if (fault === 'reset') return resetConnection(req);
  if (typeof fault === 'string' && fault.startsWith('slow:')) {
    setTimeout(answer, Number(fault.slice('slow:'.length))).unref();
    return;
  }
  answer();
}
