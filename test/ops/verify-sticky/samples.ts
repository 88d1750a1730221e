import type { Sample, SetCookie, StickySamplerDescription } from '../../../src/ops/ports/index.js';
import type { ClientRun } from '../../../src/ops/verify-sticky/report.js';

/** Hand-made evidence for the pure analysis. */
export function answered(instance: string, extra: Partial<Sample> = {}): Sample {
  return { outcome: 'answered', instance, httpStatus: 200, setCookies: [], sentCookies: [], durationMs: 1, ...extra };
}

export function fault(outcome: Sample['outcome'], extra: Partial<Sample> = {}): Sample {
  return { outcome, setCookies: [], sentCookies: [], durationMs: 1, ...extra };
}

export function cookie(name: string, value: string, attributes: SetCookie['attributes'] = { path: '/' }): SetCookie {
  return { name, value, attributes };
}

let port = 40_000;
/** n answers from one instance, each on its own connection from `address`. */
export function pinned(id: number, instance: string, n: number, address = '127.0.0.1'): ClientRun {
  return { id, samples: Array.from({ length: n }, () => answered(instance, { localAddress: address, localPort: port++, newConnection: true })) };
}

export function run(id: number, samples: Sample[], sourceAddress?: string): ClientRun {
  return { id, samples, sourceAddress };
}

export const target: StickySamplerDescription = {
  url: 'http://127.0.0.1:8080/health',
  transport: 'http',
  cookies: true,
  freshConnections: true,
  instanceFrom: { kind: 'json-field', path: 'instance' },
  timeoutMs: 5_000,
};
