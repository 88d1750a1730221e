// The URL and headers a person typed → what the client sends, checked before anything connects.
import { UsageError } from '../../ops/errors.js';

/** `host:port/path` → ws://…; http(s) → ws(s); anything else is refused (exit 2). */
export function webSocketUrl(text: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `ws://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`"${redactedUrl(text)}" is not a URL; use ws://host:port/path or wss://…`);
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new UsageError(`${url.protocol}// is not a WebSocket URL; use ws:// or wss://`);
  if (url.hash) throw new UsageError('a WebSocket URL cannot have a #fragment');
  return url.href;
}

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** Headers ws computes itself: setting them by hand breaks the handshake. */
const RESERVED = new Set(['connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions', 'sec-websocket-protocol']);

/** `-H "Name: value"` (repeatable) → a header object; a repeated name is sent comma-joined. */
export function parseHeaders(flags: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const flag of flags) {
    const colon = flag.indexOf(':');
    const name = colon < 0 ? flag.trim() : flag.slice(0, colon).trim();
    if (colon < 0 || !HEADER_NAME.test(name)) throw new UsageError(`-H: "${name}" is not "Name: value"`);
    if (RESERVED.has(name.toLowerCase())) throw new UsageError(`-H: ${name} is set by the WebSocket handshake itself${name.toLowerCase() === 'sec-websocket-protocol' ? '; use --subprotocol' : ''}`);
    const value = flag.slice(colon + 1).trim();
    // The value is never quoted back: it may be a credential.
    if (/[\r\n\0]/.test(value)) throw new UsageError(`-H ${name}: the value contains a line break or NUL`);
    const existing = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
    if (existing) headers[existing] = `${headers[existing]}, ${value}`;
    else headers[name] = value;
  }
  return headers;
}

const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|key|auth|session|password|signature/i;

export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER.test(name);
}

const CREDENTIAL_PARAM = /token|secret|key|auth|session|password|passwd|pwd|signature|sig|code|credential/i;

/** A URL fit for output: the password and credential-like query values replaced by ***. */
export function redactedUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
  }
  if (url.password) url.password = '***';
  for (const name of [...url.searchParams.keys()]) {
    if (CREDENTIAL_PARAM.test(name)) url.searchParams.set(name, '***');
  }
  return url.href.replace(/%2A%2A%2A/g, '***');
}

/** RFC 6455 subprotocol tokens. */
export function checkSubprotocols(protocols: string[]): string[] {
  for (const protocol of protocols) {
    if (!HEADER_NAME.test(protocol)) throw new UsageError(`--subprotocol: "${protocol}" is not a token (letters, digits and !#$%&'*+.^_\`|~-)`);
  }
  if (new Set(protocols).size !== protocols.length) throw new UsageError('--subprotocol: a subprotocol is named twice');
  return protocols;
}
