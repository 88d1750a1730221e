import { readFile } from 'node:fs/promises';
import type { Session } from '../../cli/session.js';
import { InterruptedError, TimeoutError, UsageError, VerificationError } from '../../ops/errors.js';
import { runProbe, type ProbeReport } from '../../ops/probe/index.js';
import { createProgress } from '../../ui/progress.js';
import { writeReport } from '../../ui/report.js';
import type { ProbeCommandOptions } from './index.js';
import { displayUrl } from './flags.js';
import { progressLine, renderProbeReport } from './render.js';

export async function runProbeCommand(session: Session, options: ProbeCommandOptions): Promise<void> {
  const { io, factory, globals } = session;
  const ca = options.caFile === undefined ? undefined : await readCaFile(options.caFile);
  const url = displayUrl(options.url);
  const report = await session.runAndClose(async () => {
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
    const progress = createProgress(io, `opening ${options.connections} connections to ${url}…`);
    try {
      return await runProbe(
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
          onProgress: (p) => progress.update(progressLine(p)),
        },
      );
    } finally {
      progress.stop();
    }
  });
  writeReport(io, report, (wide) => renderProbeReport(report, { wide, color: io.color }));
  throwForOutcome(report);
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

function throwForOutcome(report: ProbeReport): void {
  const why = report.reasons[0] ?? '';
  const more = report.reasons.length > 1 ? ` (and ${report.reasons.length - 1} more in the report)` : '';
  if (report.outcome === 'interrupted') throw new InterruptedError('interrupted: the report above covers what was observed until then');
  if (report.outcome === 'rollout-timeout') throw new TimeoutError(`the rollout of sts/${report.rollout?.statefulSet} did not complete in time: ${report.rollout?.state ?? 'state unknown'}`);
  if (report.verdict === 'FAIL') throw new VerificationError(`FAIL: ${why}${more}`);
}
