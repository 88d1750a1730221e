/** What ends a probe run. */
export type ProbeBound =
  | { kind: 'duration'; durationMs: number }
  | { kind: 'rollout'; statefulSet: string; restart: boolean; timeoutMs: number }
  | { kind: 'command'; argv: readonly string[] }
  /** Until the run's signal aborts (Ctrl-C, SIGTERM): then settle and judge, as a finished bound does. */
  | { kind: 'until-stopped' };

export interface ProbeThresholds {
  maxSilent: number;
  maxGap: number;
  /** null: reconnect time is reported, not judged. */
  maxReconnectP99Ms: number | null;
}

export interface ProbeRunOptions {
  /** Shown in the report (never carries credentials: the command refuses them). */
  url: string;
  connections: number;
  connectRatePerSecond: number;
  handshakeTimeoutMs: number;
  bound: ProbeBound;
  /** After the bound: keep probing until every connection is open again (and, for a rollout, on the new revision), at most this long. */
  settleMs: number;
  thresholds: ProbeThresholds;
  /** How often the probe samples the pool (the timeline's resolution). */
  sampleIntervalMs?: number;
}

/** How long the connections may take to open before the bound starts: the connect rate's own time plus a margin. */
export function rampTimeoutMs(options: Pick<ProbeRunOptions, 'connections' | 'connectRatePerSecond' | 'handshakeTimeoutMs'>): number {
  return Math.ceil((options.connections / options.connectRatePerSecond) * 1_000) + options.handshakeTimeoutMs + 10_000;
}
