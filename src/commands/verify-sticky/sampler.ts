import type { Factory } from '../../cli/factory.js';
import type { StickySampler } from '../../ops/ports/index.js';
import type { VerifyStickyCommandOptions } from './index.js';

/** The sampler the options describe, from the Factory's adapters (loaded only by this command). */
export function openSampler(f: Factory, options: VerifyStickyCommandOptions, timeoutMs: number, insecure: boolean): Promise<StickySampler> {
  return f.adapters.stickySampler({
    transport: options.websocket ? 'websocket' : 'http',
    url: options.url,
    cookies: options.cookies,
    instanceFrom: options.instanceFrom,
    timeoutMs,
    rejectUnauthorized: !insecure,
    reuseConnections: options.reuseConnections,
  });
}
