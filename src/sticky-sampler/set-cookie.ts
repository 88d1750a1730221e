import type { SetCookie } from '../ops/ports/index.js';

/**
 * Parse one Set-Cookie header (RFC 6265 §5.2, leniently: load balancers write `path=/` and
 * `HttpOnly` alike). Returns undefined for a header with no `name=`.
 */
export function parseSetCookie(header: string): SetCookie | undefined {
  const [pair = '', ...rest] = header.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return undefined;
  const name = pair.slice(0, eq).trim();
  if (name === '') return undefined;
  const value = unquote(pair.slice(eq + 1).trim());
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const at = part.indexOf('=');
    const key = (at === -1 ? part : part.slice(0, at)).trim().toLowerCase();
    if (key === '') continue;
    attributes[key] = at === -1 ? true : part.slice(at + 1).trim();
  }
  return { name, value, attributes };
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** The Set-Cookie headers of a response, whatever node handed us (string, string[] or nothing). */
export function parseSetCookieHeaders(raw: string | string[] | undefined): SetCookie[] {
  const headers = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return headers.map(parseSetCookie).filter((cookie): cookie is SetCookie => cookie !== undefined);
}
