// probe's own flag parsers: the target URL, the connect rate, headers and field paths.
import { UsageError } from '../../ops/errors.js';

/** A ws(s) URL to probe (http(s) is turned into ws(s)); credentials are refused and never echoed. */
export function probeUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`"${text}" is not a URL`, 'give the WebSocket endpoint, such as ws://lb.example.com/v1/subscribe');
  }
  if (url.username || url.password) throw new UsageError('the URL holds credentials (user:password@): they are not supported, and not echoed here');
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol)) throw new UsageError(`"${url.protocol}//…": the URL must start with ws://, wss://, http:// or https://`);
  if (url.hash) throw new UsageError(`"${text}": a WebSocket URL has no #fragment`);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  return url.href;
}

/** The URL as it may be shown: a query string may carry a token, so its values are hidden. */
export function displayUrl(href: string): string {
  const url = new URL(href);
  if (url.search) url.search = `?${[...url.searchParams.keys()].map((k) => `${k}=…`).join('&')}`;
  return url.href;
}

const RATE_FORMS = 'a rate such as 500/s, 30/m or 200 (per second)';

/** `500/s`, `30/m`, `200` → connections per second. */
export function connectRateFlag(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(?:\/(s|m))?$/.exec(text.trim());
  if (!match) throw new UsageError(`--connect-rate: "${text}" is not ${RATE_FORMS}`);
  const perSecond = match[2] === 'm' ? Number(match[1]) / 60 : Number(match[1]);
  if (!(perSecond > 0) || perSecond > 100_000) throw new UsageError(`--connect-rate: "${text}" is out of range (above 0, at most 100000/s)`);
  return perSecond;
}

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** Headers the WebSocket handshake itself sets: overriding them would break the upgrade. */
const RESERVED = new Set(['host', 'connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions', 'sec-websocket-protocol', 'content-length']);

/** Repeated `-H "Name: value"` → a header map. The values are never printed (they may be tokens). */
export function headersFlag(values: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const item of values) {
    const colon = item.indexOf(':');
    const name = colon > 0 ? item.slice(0, colon).trim() : '';
    if (!HEADER_NAME.test(name)) throw new UsageError(`-H/--header: expected "Name: value", got a value without a valid header name`, 'for example -H "Authorization: Bearer …" (the value is never printed)');
    if (RESERVED.has(name.toLowerCase())) throw new UsageError(`-H/--header: ${name} is set by the WebSocket handshake itself${name.toLowerCase() === 'sec-websocket-protocol' ? '; use --subprotocol' : ''}`);
    if (/[\r\n]/.test(item)) throw new UsageError(`-H/--header: the value of ${name} holds a line break`);
    headers[name] = item.slice(colon + 1).trim();
  }
  return headers;
}

/** A dotted JSON field path such as instance or meta.serverId. */
export function fieldPathFlag(flag: string, text: string): string {
  if (!/^[^.\s]+(\.[^.\s]+)*$/.test(text)) throw new UsageError(`${flag}: "${text}" is not a dotted field path such as instance or meta.serverId`);
  return text;
}

/** `--rollout sts/NAME` (statefulset/NAME and statefulsets/NAME too) → NAME. */
export function rolloutTarget(text: string): string {
  const match = /^(?:sts|statefulset|statefulsets|statefulset\.apps|statefulsets\.apps)\/([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)$/.exec(text);
  if (!match) throw new UsageError(`--rollout: "${text}" is not sts/NAME`, 'name the StatefulSet, for example --rollout sts/conduit');
  return match[1]!;
}

export function subprotocolsFlag(values: readonly string[]): string[] {
  const all = values.flatMap((v) => v.split(',')).map((v) => v.trim());
  for (const protocol of all) if (!HEADER_NAME.test(protocol)) throw new UsageError(`--subprotocol: "${protocol}" is not a valid subprotocol name`);
  if (new Set(all).size !== all.length) throw new UsageError('--subprotocol: the same subprotocol is given twice');
  return all;
}
