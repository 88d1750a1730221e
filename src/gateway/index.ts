// The GatewayAdmin adapter: admin calls over node:http(s) keep-alive agents (http.ts).

export { createGatewayAdmin } from './admin-client.js';
export { readAdminTokenFile } from './token-file.js';
export {
  DEFAULT_ADMIN_PORT,
  DEFAULT_COUNT_SOURCE,
  DEFAULT_PATHS,
  DEFAULT_TIMEOUT_MS,
  type CountSource,
  type GatewayClientConfig,
  type GatewayPaths,
  type GatewayTransport,
  type TlsConfig,
} from './config.js';
export { parsePrometheusText, countFromPrometheus, type PromSample } from './prometheus.js';
