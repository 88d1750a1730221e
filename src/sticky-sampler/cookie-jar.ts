import type { SetCookie } from '../ops/ports/index.js';

interface StoredCookie {
  value: string;
  path: string;
  secure: boolean;
  /** Wall-clock expiry in ms since the epoch; undefined for a session cookie. */
  expiresAtMs?: number;
}

/**
 * One simulated client's cookies, as a browser keeps them for a single origin: keyed by name and
 * path, dropped on Max-Age<=0 or a past Expires, sent back only on a matching path and, when
 * Secure, only over TLS.
 */
export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  constructor(private readonly wallNow: () => number = Date.now) {}

  store(cookie: SetCookie, requestPath: string): void {
    const path = cookiePath(cookie.attributes.path, requestPath);
    const key = `${cookie.name}\u0000${path}`;
    const expiresAtMs = expiryOf(cookie, this.wallNow());
    if (expiresAtMs !== undefined && expiresAtMs <= this.wallNow()) {
      this.cookies.delete(key);
      return;
    }
    this.cookies.set(key, { value: cookie.value, path, secure: cookie.attributes.secure !== undefined, expiresAtMs });
  }

  /** The Cookie header for a request, and the names it carries. */
  headerFor(requestPath: string, secureChannel: boolean): { header?: string; names: string[] } {
    const now = this.wallNow();
    const pairs: string[] = [];
    const names: string[] = [];
    for (const [key, cookie] of this.cookies) {
      if (cookie.expiresAtMs !== undefined && cookie.expiresAtMs <= now) {
        this.cookies.delete(key);
        continue;
      }
      if (cookie.secure && !secureChannel) continue;
      if (!pathMatches(requestPath, cookie.path)) continue;
      const name = key.slice(0, key.indexOf('\u0000'));
      pairs.push(`${name}=${cookie.value}`);
      names.push(name);
    }
    return pairs.length > 0 ? { header: pairs.join('; '), names } : { names };
  }

  get size(): number {
    return this.cookies.size;
  }
}

function expiryOf(cookie: SetCookie, now: number): number | undefined {
  const maxAge = cookie.attributes['max-age'];
  if (typeof maxAge === 'string' && /^-?\d+$/.test(maxAge)) return now + Number(maxAge) * 1_000;
  const expires = cookie.attributes.expires;
  if (typeof expires === 'string') {
    const at = Date.parse(expires);
    if (!Number.isNaN(at)) return at;
  }
  return undefined;
}

/** RFC 6265 §5.1.4: the default path is the request path up to its last slash. */
function cookiePath(attribute: string | true | undefined, requestPath: string): string {
  if (typeof attribute === 'string' && attribute.startsWith('/')) return attribute;
  const lastSlash = requestPath.lastIndexOf('/');
  return lastSlash <= 0 ? '/' : requestPath.slice(0, lastSlash);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
