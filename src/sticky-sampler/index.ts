// The StickySampler adapter: simulated clients of a load balancer, over HTTP (http-sampler.ts) or
// WebSocket upgrades (ws-sampler.ts), each client with its own cookie jar.
export { createHttpSampler, type HttpSamplerOptions, type InstanceSource } from './http-sampler.js';
export { createWsSampler, type WsSamplerOptions } from './ws-sampler.js';

import type { StickySampler } from '../ops/ports/index.js';
import { createHttpSampler, type HttpSamplerOptions } from './http-sampler.js';
import { createWsSampler } from './ws-sampler.js';

export type StickySamplerConfig = Omit<HttpSamplerOptions, 'wallNow'> & { transport: 'http' | 'websocket' };

export function createStickySampler({ transport, reuseConnections, ...common }: StickySamplerConfig): StickySampler {
  return transport === 'websocket' ? createWsSampler(common) : createHttpSampler({ ...common, reuseConnections });
}
