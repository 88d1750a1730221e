import type { Session } from '../../cli/session.js';
import { verifySticky, type VerifyStickyEvent } from '../../ops/verify-sticky/index.js';
import { failureOf, runOp } from '../shared/index.js';
import type { VerifyStickyCommandOptions } from './index.js';
import { createProgressState, progressLine, renderStickyReport } from './render.js';
import { openSampler } from './sampler.js';

export async function runVerifySticky(session: Session, options: VerifyStickyCommandOptions): Promise<void> {
  const { io, factory, globals } = session;
  const sampler = await openSampler(factory, options, options.timeoutMs ?? globals.requestTimeoutMs, globals.insecureSkipTlsVerify);
  const state = createProgressState();
  await runOp(io, {
    starting: `sampling ${options.url}…`,
    events: {
      status: (event: VerifyStickyEvent) => {
        if (event.type !== 'sampled') return undefined;
        state.observe(event.client, event.sample);
        return progressLine(event, state);
      },
    },
    call: (onEvent) =>
      verifySticky(
        {
          requests: options.requests,
          clients: options.clients,
          sourceAddresses: options.sourceAddresses,
          concurrency: options.concurrency,
          tolerance: options.tolerance,
          expectedInstances: options.expectedInstances,
          revealCookieValues: options.showCookieValues,
        },
        sampler,
        factory.clock,
        factory.signal,
        onEvent,
      ),
    document: (report) => report,
    render: (report, wide) => renderStickyReport(report, { wide, color: io.color }),
    failure: (report) =>
      report.interrupted
        ? failureOf('interrupted', `interrupted after ${report.totals.requests} requests; the report covers what was sampled`)
        : failureOf(report.verdict === 'STICKY' ? 'verified' : 'not-verified', `${report.verdict}: ${report.reason}`),
  });
}
