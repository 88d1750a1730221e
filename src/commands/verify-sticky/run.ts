import type { Session } from '../../cli/session.js';
import { InterruptedError, VerificationError } from '../../ops/errors.js';
import { verifySticky } from '../../ops/verify-sticky/index.js';
import { createProgress } from '../../ui/progress.js';
import { writeReport } from '../../ui/report.js';
import type { VerifyStickyCommandOptions } from './index.js';
import { createProgressState, progressLine, renderStickyReport } from './render.js';
import { openSampler } from './sampler.js';

export async function runVerifySticky(session: Session, options: VerifyStickyCommandOptions): Promise<void> {
  const { io, factory, globals } = session;
  const sampler = await openSampler(options, options.timeoutMs ?? globals.requestTimeoutMs, globals.insecureSkipTlsVerify);
  const progress = createProgress(io, `sampling ${options.url}…`);
  const state = createProgressState();
  let report;
  try {
    report = await verifySticky(
      {
        requests: options.requests,
        clients: options.clients,
        sourceAddresses: options.sourceAddresses,
        concurrency: options.concurrency,
        tolerance: options.tolerance,
        expectedInstances: options.expectedInstances,
      },
      sampler,
      factory.clock,
      factory.signal,
      (event) => {
        if (event.type !== 'sampled') return;
        state.observe(event.client, event.sample);
        progress.update(progressLine(event, state));
      },
    );
  } finally {
    progress.stop();
  }

  writeReport(io, report, (wide) => renderStickyReport(report, { wide, color: io.color }));
  if (report.interrupted) throw new InterruptedError(`interrupted after ${report.totals.requests} requests; the report covers what was sampled`);
  if (report.verdict !== 'STICKY') throw new VerificationError(`${report.verdict}: ${report.reason}`);
}
