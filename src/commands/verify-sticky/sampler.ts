import type { StickySampler } from '../../ops/ports/index.js';
import type { VerifyStickyCommandOptions } from './index.js';

/** Wire the sampler adapter (loaded only here, so other commands never load ws). */
export async function openSampler(options: VerifyStickyCommandOptions, timeoutMs: number, insecure: boolean): Promise<StickySampler> {
  const common = { url: options.url, cookies: options.cookies, instanceFrom: options.instanceFrom, timeoutMs, rejectUnauthorized: !insecure };
  if (options.websocket) {
    const { createWsSampler } = await import('../../sticky-sampler/ws-sampler.js');
    return createWsSampler(common);
  }
  const { createHttpSampler } = await import('../../sticky-sampler/http-sampler.js');
  return createHttpSampler({ ...common, reuseConnections: options.reuseConnections });
}
