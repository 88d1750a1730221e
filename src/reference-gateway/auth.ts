// Admin authentication: `Authorization: Bearer T` or `X-Conduit-Admin-Token: T` (the latter
// survives the API server's pods/proxy, which strips Authorization).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const ADMIN_TOKEN_HEADER = 'x-conduit-admin-token';

/** Returns a checker that compares in constant time; it never exposes the token. */
export function adminTokenChecker(token: string | undefined): (headers: IncomingHttpHeaders) => boolean {
  if (token === undefined) return () => true;
  const expected = digest(token);
  return (headers) => {
    const presented = presentedToken(headers);
    return presented !== undefined && timingSafeEqual(digest(presented), expected);
  };
}

function presentedToken(headers: IncomingHttpHeaders): string | undefined {
  const custom = headers[ADMIN_TOKEN_HEADER];
  if (typeof custom === 'string' && custom !== '') return custom.trim();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

// Hashing first gives both sides the same length, which timingSafeEqual requires.
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
