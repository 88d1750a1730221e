import type { Clock, Sample, StickySampler } from '../ports.js';
import { analyze } from './analyze.js';
import type { ClientRun, StickyReport } from './report.js';

export interface VerifyStickyOptions {
  /** Requests per client (≥ 2: one answer cannot show a move). */
  requests: number;
  clients: number;
  /** Client i binds sourceAddresses[(i-1) % length]; empty lets the OS pick. */
  sourceAddresses: readonly string[];
  /** Clients sampling at once; each client's own requests are always one after another. */
  concurrency: number;
  /** Allowed skew above the mean (0.2 = 20%). */
  tolerance: number;
  expectedInstances?: number;
}

export type VerifyStickyEvent =
  | { type: 'started'; clients: number; requests: number; total: number }
  | { type: 'sampled'; client: number; request: number; sample: Sample; completed: number; total: number };

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof Error && error.name === 'AbortError');
}

/**
 * K simulated clients × N requests through the balancer, then the analysis. An interruption ends
 * sampling and reports what was sampled (interrupted: true); it never throws for it.
 */
export async function verifySticky(
  options: VerifyStickyOptions,
  sampler: StickySampler,
  clock: Clock,
  signal: AbortSignal,
  onEvent: (event: VerifyStickyEvent) => void = () => {},
): Promise<StickyReport> {
  const started = clock.now();
  const total = options.clients * options.requests;
  const runs: ClientRun[] = Array.from({ length: options.clients }, (_, i) => ({
    id: i + 1,
    sourceAddress: options.sourceAddresses.length ? options.sourceAddresses[i % options.sourceAddresses.length] : undefined,
    samples: [],
  }));
  let completed = 0;
  let interrupted = false;
  onEvent({ type: 'started', clients: options.clients, requests: options.requests, total });

  const runClient = async (run: ClientRun) => {
    const client = sampler.openClient({ id: run.id, sourceAddress: run.sourceAddress });
    try {
      for (let request = 1; request <= options.requests && !signal.aborted; request++) {
        const sample = await client.sample(signal);
        run.samples.push(sample);
        completed++;
        onEvent({ type: 'sampled', client: run.id, request, sample, completed, total });
      }
    } catch (error) {
      if (!isAbort(error, signal)) throw error;
    } finally {
      await client.close();
    }
  };

  let next = 0;
  const worker = async () => {
    while (next < runs.length && !signal.aborted) await runClient(runs[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, runs.length)) }, worker));
  interrupted = signal.aborted && completed < total;

  return analyze({
    target: sampler.describe(),
    requestsPerClient: options.requests,
    runs: runs.filter((run) => run.samples.length > 0 || !interrupted),
    tolerance: options.tolerance,
    expectedInstances: options.expectedInstances,
    interrupted,
    durationMs: clock.now() - started,
  });
}
