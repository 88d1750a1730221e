import type { Clock, Sample, StickySampler } from '../ports/index.js';
import { fanOutSignal } from '../../util/abort.js';
import { analyze } from './analyze.js';
import type { ClientRun, StickyReport } from './report.js';

export interface VerifyStickyOptions {
  /** Requests per client (≥ 2: one answer cannot show a move). */
  requests: number;
  clients: number;
  /** Client i binds sourceAddresses[(i-1) % length]; empty lets the OS pick. */
  sourceAddresses: readonly string[];
  /** Requests in flight at once; each client's own requests are always one after another. */
  concurrency: number;
  /** Allowed skew above the mean (0.2 = 20%). */
  tolerance: number;
  expectedInstances?: number;
  /** Cookie values in the report; otherwise only their fingerprints. */
  revealCookieValues?: boolean;
  /** Shuffles each round's client order (tests pass a seeded one). */
  random?: () => number;
}

export type VerifyStickyEvent =
  | { type: 'started'; clients: number; requests: number; total: number }
  | { type: 'sampled'; client: number; request: number; sample: Sample; completed: number; total: number };

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof Error && error.name === 'AbortError');
}

/** Fisher–Yates with an injectable random source. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * K simulated clients × N requests through the balancer, then the analysis. Requests go in rounds:
 * each client sends its r-th request in round r, in a fresh random order. Clients in lockstep
 * would meet a round-robin balancer in the same order every round and each be handed "its"
 * instance again: a false STICKY. An interruption ends sampling and reports what was sampled
 * (interrupted: true); it never throws for it.
 */
export async function verifySticky(
  options: VerifyStickyOptions,
  sampler: StickySampler,
  clock: Clock,
  signal: AbortSignal,
  onEvent: (event: VerifyStickyEvent) => void = () => {},
): Promise<StickyReport> {
  const started = clock.now();
  const random = options.random ?? Math.random;
  const total = options.clients * options.requests;
  const runs: ClientRun[] = Array.from({ length: options.clients }, (_, i) => ({
    id: i + 1,
    sourceAddress: options.sourceAddresses.length ? options.sourceAddresses[i % options.sourceAddresses.length] : undefined,
    samples: [],
  }));
  const clients = runs.map((run) => ({ run, client: sampler.openClient({ id: run.id, sourceAddress: run.sourceAddress }) }));
  let completed = 0;
  // Every request in flight listens for the abort: on a signal of their own, so more than 10
  // clients do not trip Node's MaxListenersExceededWarning on the caller's.
  const requests = fanOutSignal(signal, Math.max(1, options.concurrency));
  onEvent({ type: 'started', clients: options.clients, requests: options.requests, total });

  try {
    for (let request = 1; request <= options.requests && !signal.aborted; request++) {
      const queue = shuffled(clients, random);
      const worker = async () => {
        for (let next = queue.shift(); next && !signal.aborted; next = queue.shift()) {
          const sample = await next.client.sample(requests);
          next.run.samples.push(sample);
          completed++;
          onEvent({ type: 'sampled', client: next.run.id, request, sample, completed, total });
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, queue.length)) }, worker));
    }
  } catch (error) {
    if (!isAbort(error, signal)) throw error;
  } finally {
    await Promise.all(clients.map(({ client }) => client.close()));
  }
  const interrupted = signal.aborted && completed < total;

  return analyze({
    target: sampler.describe(),
    requestsPerClient: options.requests,
    runs: runs.filter((run) => run.samples.length > 0 || !interrupted),
    tolerance: options.tolerance,
    expectedInstances: options.expectedInstances,
    interrupted,
    durationMs: clock.now() - started,
    revealCookieValues: options.revealCookieValues === true,
  });
}
