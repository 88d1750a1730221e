import { REFERENCE_PROTOCOL, type ProbeProtocol } from '../../ops/ports/probe.js';

export interface ProbePoolOptions {
  /** ws:// or wss:// URL: a load balancer, a Service or one gateway. */
  url: string;
  connections: number;
  /** New connection attempts per second (first ones and reconnects alike), a token bucket. */
  connectRatePerSecond: number;
  headers?: Record<string, string>;
  subprotocols?: string[];
  /** Keep a cookie jar per connection and send it back on reconnect (default true). */
  cookies?: boolean;
  /** Connection i binds sourceAddresses[i % length]; empty lets the OS pick. */
  sourceAddresses?: readonly string[];
  /** Verify TLS certificates (default true). */
  rejectUnauthorized?: boolean;
  /** PEM of the CA that signs the gateway's certificate. */
  ca?: string;
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  handshakeTimeoutMs?: number;
  /** Jittered exponential back-off after a close without a migrating notice, and after a failed attempt. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  protocol?: Partial<ProbeProtocol>;
  /** Closes and failures kept in detail. */
  sampleLimit?: number;
  now?: () => number;
  random?: () => number;
}

export interface ResolvedPoolOptions extends Required<Omit<ProbePoolOptions, 'protocol' | 'ca' | 'headers' | 'subprotocols'>> {
  headers: Record<string, string>;
  subprotocols: string[];
  ca: string | undefined;
  protocol: ProbeProtocol;
}

export const POOL_DEFAULTS = {
  cookies: true,
  rejectUnauthorized: true,
  pingIntervalMs: 5_000,
  pingTimeoutMs: 10_000,
  handshakeTimeoutMs: 10_000,
  backoffBaseMs: 250,
  backoffCapMs: 10_000,
  sampleLimit: 100,
} as const;

export function resolvePoolOptions(options: ProbePoolOptions): ResolvedPoolOptions {
  const url = new URL(options.url);
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new TypeError(`not a ws(s) URL: ${url.protocol}//${url.host}`);
  if (!(options.connections >= 1)) throw new RangeError('connections must be at least 1');
  if (!(options.connectRatePerSecond > 0)) throw new RangeError('connectRatePerSecond must be above 0');
  return {
    ...POOL_DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    url: url.href,
    headers: options.headers ?? {},
    subprotocols: options.subprotocols ?? [],
    sourceAddresses: options.sourceAddresses ?? [],
    ca: options.ca,
    protocol: { ...REFERENCE_PROTOCOL, ...options.protocol },
    now: options.now ?? (() => performance.now()),
    random: options.random ?? Math.random,
  } as ResolvedPoolOptions;
}
