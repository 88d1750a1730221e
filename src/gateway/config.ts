// How to reach and read a gateway's admin contract (DESIGN.md section 2). Defaults are Conduit's;
// every path, port and field can be changed for gateways that name things differently.

import { UsageError } from '../ops/errors.js';

/** Where the active-connection count comes from. */
export type CountSource =
  /** A JSON document and a dotted field path, e.g. `/v1/metrics` + `ws.connections.active`. */
  | { kind: 'json'; path: string; field: string }
  /**
   * A Prometheus text exposition and a metric name. Without `labels` every series of the metric is
   * summed; with `labels` exactly one series whose label set equals `labels` is used.
   */
  | { kind: 'prometheus'; path: string; metric: string; labels?: Record<string, string> };

/** TLS material for the connection the client opens (to the gateway, or to the API server). */
export interface TlsConfig {
  ca?: string | Buffer | Array<string | Buffer>;
  cert?: string | Buffer;
  key?: string | Buffer;
  rejectUnauthorized?: boolean;
  servername?: string;
}

export type GatewayTransport =
  /** Straight to the instance: its adminUrl/healthUrl, else http(s)://{address}:{port}{path}. */
  | { kind: 'direct'; scheme?: 'http' | 'https'; tls?: TlsConfig }
  /**
   * Through the Kubernetes API server: {apiServer}/api/v1/namespaces/{ns}/pods/{name}:{port}/proxy{path}.
   * `headers` authenticate to the API server (its Authorization); the gateway's own token then
   * travels in X-Conduit-Admin-Token because the API server does not forward Authorization.
   */
  | {
      kind: 'proxy';
      apiServer: string;
      namespace: string;
      tls?: TlsConfig;
      headers?: Record<string, string>;
      /** `https` when the gateway's admin port itself speaks TLS (pods/https:{name}:{port}/proxy). */
      podScheme?: 'http' | 'https';
    };

export interface GatewayPaths {
  health: string;
  drain: string;
  undrain: string;
  migrate: string;
}

export interface GatewayClientConfig {
  /** Admin port (drain, migrate, counts). Default 9087. */
  adminPort?: number;
  /** Port `/health` is read from. Default: the admin port (9088 is the public port). */
  healthPort?: number;
  paths?: Partial<GatewayPaths>;
  /** Default `{kind:'json', path:'/v1/metrics', field:'ws.connections.active'}`. */
  count?: CountSource;
  /** Dotted path of the status in the health JSON. Default `status`. */
  healthStatusField?: string;
  /** Dotted path of the instance name in the health JSON. Default `instance` (004 uses `serverId`). */
  healthInstanceField?: string;
  /** Status values meaning serving. Default `['ok']`. */
  healthOkValues?: string[];
  /** Status values meaning draining. Default `['draining']`. */
  healthDrainingValues?: string[];
  /** The gateway's admin token (already read from CONDUIT_ADMIN_TOKEN or a token file). */
  adminToken?: string;
  /** Per-request timeout (headers, body, whole request). Default 5000 ms. */
  timeoutMs?: number;
  /** Skip TLS verification of https endpoints. The caller warns the operator. */
  insecureSkipTlsVerify?: boolean;
  /** Default `{kind:'direct'}`. */
  transport?: GatewayTransport;
  /** Keep-alive sockets per origin (the API server is one origin for the whole fleet). Default 32. */
  connectionsPerOrigin?: number;
}

export const DEFAULT_ADMIN_PORT = 9087;
export const DEFAULT_TIMEOUT_MS = 5_000;

export const DEFAULT_PATHS: GatewayPaths = {
  health: '/health',
  drain: '/admin/drain',
  undrain: '/admin/undrain',
  migrate: '/admin/migrate',
};

export const DEFAULT_COUNT_SOURCE: CountSource = {
  kind: 'json',
  path: '/v1/metrics',
  field: 'ws.connections.active',
};

/** The config with every default filled in. */
export interface ResolvedGatewayConfig {
  adminPort: number;
  healthPort: number;
  paths: GatewayPaths;
  count: CountSource;
  healthStatusField: string;
  healthInstanceField: string;
  healthOkValues: readonly string[];
  healthDrainingValues: readonly string[];
  adminToken: string | undefined;
  timeoutMs: number;
  insecureSkipTlsVerify: boolean;
  transport: GatewayTransport;
  connectionsPerOrigin: number;
}

export function resolveGatewayConfig(config: GatewayClientConfig): ResolvedGatewayConfig {
  const adminPort = config.adminPort ?? DEFAULT_ADMIN_PORT;
  const resolved: ResolvedGatewayConfig = {
    adminPort,
    healthPort: config.healthPort ?? adminPort,
    paths: { ...DEFAULT_PATHS, ...config.paths },
    count: config.count ?? DEFAULT_COUNT_SOURCE,
    healthStatusField: config.healthStatusField ?? 'status',
    healthInstanceField: config.healthInstanceField ?? 'instance',
    healthOkValues: config.healthOkValues ?? ['ok'],
    healthDrainingValues: config.healthDrainingValues ?? ['draining'],
    adminToken: config.adminToken === '' ? undefined : config.adminToken,
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    insecureSkipTlsVerify: config.insecureSkipTlsVerify ?? false,
    transport: config.transport ?? { kind: 'direct' },
    connectionsPerOrigin: config.connectionsPerOrigin ?? 32,
  };
  validate(resolved);
  return resolved;
}

function validate(config: ResolvedGatewayConfig): void {
  for (const [what, port] of [
    ['admin port', config.adminPort],
    ['health port', config.healthPort],
  ] as const) {
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new UsageError(`invalid ${what} ${port}: must be an integer from 1 to 65535`);
    }
  }
  const paths: Array<[string, string]> = [...Object.entries(config.paths), ['count', config.count.path]];
  for (const [what, path] of paths) {
    if (!path.startsWith('/') || /[\s?#]/.test(path)) {
      throw new UsageError(`invalid ${what} path ${JSON.stringify(path)}: must start with '/' and contain no spaces, '?' or '#'`);
    }
  }
  if (!Number.isFinite(config.timeoutMs) || config.timeoutMs <= 0) {
    throw new UsageError(`invalid gateway request timeout ${config.timeoutMs} ms: must be positive`);
  }
  if (!Number.isInteger(config.connectionsPerOrigin) || config.connectionsPerOrigin < 1) {
    throw new UsageError(`invalid connections per origin ${config.connectionsPerOrigin}: must be a positive integer`);
  }
}
