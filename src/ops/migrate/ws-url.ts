import type { Instance } from '../ports/index.js';

export interface WsEndpoint {
  port: number;
  path: string;
}

export const DEFAULT_WS_ENDPOINT: WsEndpoint = { port: 9088, path: '/v1/subscribe' };

/** The URL a client reconnects to directly: the instance's own `ws` URL, else its address. */
export function directWsUrl(instance: Instance, endpoint: WsEndpoint): string | undefined {
  if (instance.wsUrl) return instance.wsUrl;
  if (!instance.address) return undefined;
  const host = instance.address.includes(':') ? `[${instance.address}]` : instance.address;
  return `ws://${host}:${endpoint.port}${endpoint.path}`;
}
