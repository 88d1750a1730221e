// One connection's cookie jar, kept as the Cookie header it will send: a string, not a Map,
// because 15,000 connections each hold one. Path and Secure are not tracked: every request of a
// connection goes to the same URL. Values never leave this file except in that header.

/** The jar after the Set-Cookie headers of one answer: set, replace by name, or drop when expired. */
export function storeSetCookies(jar: string | undefined, setCookie: string | string[] | undefined, wallNow: number): string | undefined {
  if (setCookie === undefined) return jar;
  const pairs = new Map<string, string>();
  for (const pair of jar ? jar.split('; ') : []) pairs.set(pair.slice(0, pair.indexOf('=')), pair);
  for (const header of Array.isArray(setCookie) ? setCookie : [setCookie]) {
    const [first = '', ...attributes] = header.split(';');
    const eq = first.indexOf('=');
    const name = first.slice(0, eq).trim();
    if (eq <= 0 || name === '') continue;
    if (expired(attributes, wallNow)) pairs.delete(name);
    else pairs.set(name, `${name}=${first.slice(eq + 1).trim()}`);
  }
  return pairs.size > 0 ? [...pairs.values()].join('; ') : undefined;
}

function expired(attributes: string[], wallNow: number): boolean {
  for (const attribute of attributes) {
    const eq = attribute.indexOf('=');
    const key = attribute.slice(0, eq === -1 ? undefined : eq).trim().toLowerCase();
    const value = eq === -1 ? '' : attribute.slice(eq + 1).trim();
    if (key === 'max-age' && /^-?\d+$/.test(value)) return Number(value) <= 0;
    if (key === 'expires') {
      const at = Date.parse(value);
      if (!Number.isNaN(at) && at <= wallNow) return true;
    }
  }
  return false;
}
