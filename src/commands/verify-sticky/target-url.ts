import { UsageError } from '../../ops/errors.js';

/** A path flag: starts with /, no spaces, query or fragment. */
export function pathFlag(flag: string, value: string): string {
  if (!value.startsWith('/') || /[\s?#]/.test(value)) throw new UsageError(`${flag}: "${value}" must be a path starting with /, such as /health`);
  return value;
}

/**
 * The balancer's base URL plus the sampled path: `http://lb:8080` + `/health`, and a prefix ending
 * in `/` keeps it (`http://lb/api/` + `/health`). A URL that names a path (`http://lb/health`) is
 * sampled as written unless the path flag was given explicitly (`pathGiven`): the default is never
 * appended to it. With --ws the scheme becomes ws(s); an http(s) or ws(s) base is accepted then.
 */
export function sampledUrl(base: string, path: string, websocket: boolean, pathGiven = true): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new UsageError(`"${base}" is not a URL`, 'give the load balancer’s address, such as http://lb.example.com or http://127.0.0.1:8080');
  }
  const allowed = websocket ? ['http:', 'https:', 'ws:', 'wss:'] : ['http:', 'https:'];
  if (!allowed.includes(url.protocol)) {
    throw new UsageError(`"${base}": the URL must start with ${websocket ? 'http(s):// or ws(s)://' : 'http:// or https://'}`);
  }
  if (url.search || url.hash) throw new UsageError(`"${base}": no query string or fragment; give the path with --path or --ws-path`);
  if (url.username || url.password) throw new UsageError('the URL holds credentials (user:password@): they are not supported, and not echoed here');
  const namesPath = url.pathname !== '/' && !url.pathname.endsWith('/');
  if (pathGiven || !namesPath) url.pathname = url.pathname.replace(/\/+$/, '') + path;
  if (websocket) url.protocol = url.protocol === 'https:' || url.protocol === 'wss:' ? 'wss:' : 'ws:';
  return url.href;
}
