// The probe's report, built from the pool's last snapshot and what the bound saw. Pure.
import type { CloseSample, CommandExit, ConnectFailureCause, FailureSample, ProbePoolSnapshot, SilentCause } from '../ports/index.js';
import type { ProbeBound, ProbeRunOptions, ProbeThresholds } from './options.js';
import { summarizeLatencies, type LatencySummary } from './percentiles.js';
import type { TimelinePoint } from './timeline.js';
import { judge } from './verdict.js';

export type ProbeOutcome = 'completed' | 'interrupted' | 'rollout-timeout' | 'unreachable' | 'ramp-incomplete';

export interface RolloutSummary {
  statefulSet: string;
  restarted: boolean;
  restartedAt: string | null;
  fromRevision: string | null;
  toRevision: string | null;
  complete: boolean;
  /** Where the rollout stood when the probe stopped watching. */
  state: string;
  durationMs: number | null;
  newRevisionPods: string[];
  /** Connections open at the end on a pod that is not of the new revision. */
  connectionsElsewhere: number;
}

export interface CommandSummary {
  /** The program only: its arguments may hold secrets. */
  program: string;
  exitCode: number | null;
  signal: string | null;
  startError: string | null;
  durationMs: number;
  failed: boolean;
}

export interface ProbeReport {
  kind: 'ProbeReport';
  verdict: 'PASS' | 'FAIL';
  reasons: string[];
  outcome: ProbeOutcome;
  url: string;
  /** A command's arguments are left out: they may hold secrets. */
  bound: Exclude<ProbeBound, { kind: 'command' }> | { kind: 'command' };
  durationMs: number;
  connections: {
    requested: number;
    /** Handshakes that reached the gateway's hello: first connections and reconnects. */
    opened: number;
    /** Connections that said hello at least once. */
    connected: number;
    neverOpened: number;
    openAtEnd: number;
    failed: number;
    failuresByCause: Partial<Record<ConnectFailureCause, number>>;
    /** The HTTP status of refused upgrades → count. */
    failuresByHttpStatus: Record<string, number>;
    /** Connections that were on more than one instance. */
    moved: number;
  };
  closes: {
    total: number;
    clean: number;
    silent: number;
    byCode: Record<string, number>;
    silentByCause: Partial<Record<SilentCause, number>>;
    byInstance: Record<string, number>;
    notices: Record<string, number>;
    migrations: number;
  };
  silentByInstance: Record<string, number>;
  /** Sequence numbers that never arrived. */
  gaps: number;
  gapsByInstance: Record<string, number>;
  reconnectMs: LatencySummary;
  instances: { before: Record<string, number>; after: Record<string, number> };
  rollout?: RolloutSummary;
  command?: CommandSummary;
  thresholds: ProbeThresholds;
  timeline: { bucketSeconds: number; points: TimelinePoint[] };
  samples: { closes: CloseSample[]; failures: FailureSample[] };
}

export interface ReportInput {
  options: ProbeRunOptions;
  outcome: ProbeOutcome;
  durationMs: number;
  final: ProbePoolSnapshot;
  /** Distribution when the bound began (after the connections opened). */
  before: Record<string, number>;
  /** Distribution when the bound and settle ended, before the pool was stopped. */
  after: Record<string, number>;
  openAtEnd: number;
  timeline: { bucketSeconds: number; points: TimelinePoint[] };
  rollout?: RolloutSummary;
  command?: { argv: readonly string[]; exit: CommandExit; durationMs: number };
}

export function buildProbeReport(input: ReportInput): ProbeReport {
  const { final, options } = input;
  const command = input.command ? commandSummary(input.command) : undefined;
  const report: ProbeReport = {
    kind: 'ProbeReport',
    verdict: 'PASS',
    reasons: [],
    outcome: input.outcome,
    url: options.url,
    bound: options.bound.kind === 'command' ? { kind: 'command' } : options.bound,
    durationMs: Math.round(input.durationMs),
    connections: {
      requested: final.connections,
      opened: final.opened,
      connected: final.everOpened,
      neverOpened: final.connections - final.everOpened,
      openAtEnd: input.openAtEnd,
      failed: final.failed,
      failuresByCause: final.failuresByCause,
      failuresByHttpStatus: final.failuresByHttpStatus,
      moved: final.moved,
    },
    closes: {
      total: final.closes,
      clean: final.clean,
      silent: final.silent,
      byCode: final.closesByCode,
      silentByCause: final.silentByCause,
      byInstance: final.closesByInstance,
      notices: final.noticesByKind,
      migrations: final.migrations,
    },
    silentByInstance: final.silentByInstance,
    gaps: final.gaps,
    gapsByInstance: final.gapsByInstance,
    reconnectMs: summarizeLatencies(final.reconnectMs),
    instances: { before: input.before, after: input.after },
    ...(input.rollout ? { rollout: input.rollout } : {}),
    ...(command ? { command } : {}),
    thresholds: options.thresholds,
    timeline: input.timeline,
    samples: final.samples,
  };
  const reasons = judge(report);
  return { ...report, verdict: reasons.length === 0 ? 'PASS' : 'FAIL', reasons };
}

function commandSummary(run: NonNullable<ReportInput['command']>): CommandSummary {
  const { exit } = run;
  return {
    program: run.argv[0] ?? '',
    exitCode: exit.code,
    signal: exit.signal,
    startError: exit.startError ?? null,
    durationMs: Math.round(run.durationMs),
    failed: exit.startError !== undefined || exit.code !== 0,
  };
}
