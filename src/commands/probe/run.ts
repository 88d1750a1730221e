import { readFile } from 'node:fs/promises';
import type { Session } from '../../cli/session.js';
import { UsageError, type ConduitError } from '../../ops/errors.js';
import { runProbe, type ProbeProgress, type ProbeReport } from '../../ops/probe/index.js';
import { failureOf, runOp } from '../shared/index.js';
import type { ProbeCommandOptions } from './index.js';
import { displayUrl } from './flags.js';
import { progressLine, renderProbeReport } from './render.js';

export async function runProbeCommand(session: Session, options: ProbeCommandOptions): Promise<void> {
  const { io, factory, globals } = session;
  const ca = options.caFile === undefined ? undefined : await readCaFile(options.caFile);
  const url = displayUrl(options.url);
  await session.runAndClose(async () => {
    const rollouts = options.bound.kind === 'rollout' ? await session.rollouts() : undefined;
    const { createProbePool } = await import('../../probe/pool/index.js');
    const { createCommandRunner } = await import('../../process/command-runner.js');
    const pool = createProbePool({
      url: options.url,
      connections: options.connections,
      connectRatePerSecond: options.connectRatePerSecond,
      headers: options.headers,
      subprotocols: options.subprotocols,
      cookies: options.cookies,
      sourceAddresses: options.sourceAddresses,
      rejectUnauthorized: !globals.insecureSkipTlsVerify,
      ca,
      pingIntervalMs: options.pingIntervalMs,
      pingTimeoutMs: options.pingTimeoutMs,
      handshakeTimeoutMs: options.handshakeTimeoutMs,
      protocol: options.protocol,
    });
    return runOp(io, {
      starting: `opening ${options.connections} connections to ${url}…`,
      events: { status: (progress: ProbeProgress) => progressLine(progress) },
      call: (onProgress) =>
        runProbe(
          {
            url,
            connections: options.connections,
            connectRatePerSecond: options.connectRatePerSecond,
            handshakeTimeoutMs: options.handshakeTimeoutMs,
            bound: options.bound,
            settleMs: options.settleMs,
            thresholds: options.thresholds,
          },
          {
            pool,
            clock: factory.clock,
            signal: factory.signal,
            rollouts,
            commands: options.bound.kind === 'command' ? createCommandRunner({ ...factory.env }) : undefined,
            onProgress,
          },
        ),
      document: (report) => report,
      render: (report, wide) => renderProbeReport(report, { wide, color: io.color }),
      failure: failureOfReport,
    });
  });
}

async function readCaFile(path: string): Promise<string> {
  try {
    const pem = await readFile(path, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca-file ${path}: no PEM certificate in the file`);
    return pem;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--ca-file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'cannot read the file'}`);
  }
}

/** The report's outcome as the typed failure (and so the exit code) of the command. */
export function failureOfReport(report: ProbeReport): ConduitError | undefined {
  const why = report.reasons[0] ?? '';
  const more = report.reasons.length > 1 ? ` (and ${report.reasons.length - 1} more in the report)` : '';
  if (report.outcome === 'interrupted') return failureOf('interrupted', 'interrupted: the report covers what was observed until then');
  if (report.outcome === 'rollout-timeout') return failureOf('timeout', `the rollout of sts/${report.rollout?.statefulSet} did not complete in time: ${report.rollout?.state ?? 'state unknown'}`);
  return failureOf(report.verdict === 'PASS' ? 'verified' : 'not-verified', `FAIL: ${why}${more}`);
}
