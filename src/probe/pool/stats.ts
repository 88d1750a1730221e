// Everything the pool counts, aggregated: counters and small maps keyed by code, cause or
// instance, a reservoir of reconnect times, and a bounded sample of closes and failures in detail.
import type { CloseSample, ConnectFailureCause, FailureSample, ProbePoolSnapshot, SilentCause } from '../../ops/ports/index.js';

const RECONNECT_RESERVOIR = 1_000_000;

type Counters = Omit<ProbePoolSnapshot, 'elapsedMs' | 'connections' | 'open' | 'connecting' | 'waiting' | 'everOpened' | 'distribution' | 'moved'>;

export class PoolStats {
  attempts = 0;
  opened = 0;
  failed = 0;
  closes = 0;
  clean = 0;
  silent = 0;
  migrations = 0;
  gaps = 0;
  gapEvents = 0;
  private reconnectSeen = 0;
  private readonly failuresByCause: Partial<Record<ConnectFailureCause, number>> = {};
  private readonly failuresByHttpStatus: Record<string, number> = {};
  private readonly closesByCode: Record<string, number> = {};
  private readonly silentByCause: Partial<Record<SilentCause, number>> = {};
  private readonly silentByInstance: Record<string, number> = {};
  private readonly closesByInstance: Record<string, number> = {};
  private readonly noticesByKind: Record<string, number> = {};
  private readonly gapsByInstance: Record<string, number> = {};
  private readonly firstDistribution: Record<string, number> = {};
  private readonly reconnectMs: number[] = [];
  private readonly closeSamples: CloseSample[] = [];
  private readonly failureSamples: FailureSample[] = [];

  constructor(
    private readonly sampleLimit: number,
    private readonly random: () => number,
  ) {}

  firstHello(instance: string): void {
    bump(this.firstDistribution, instance);
  }

  reconnected(ms: number): void {
    this.reconnectSeen += 1;
    if (this.reconnectMs.length < RECONNECT_RESERVOIR) this.reconnectMs.push(ms);
    else {
      const slot = Math.floor(this.random() * this.reconnectSeen);
      if (slot < RECONNECT_RESERVOIR) this.reconnectMs[slot] = ms;
    }
  }

  notice(status: string): void {
    bump(this.noticesByKind, status);
  }

  gap(instance: string, missing: number): void {
    this.gaps += missing;
    this.gapEvents += 1;
    bump(this.gapsByInstance, instance, missing);
  }

  failure(sample: FailureSample): void {
    this.failed += 1;
    bump(this.failuresByCause, sample.cause);
    if (sample.httpStatus !== null) bump(this.failuresByHttpStatus, String(sample.httpStatus));
    // Keep the first failures of each cause, so one flood does not hide the rest.
    if (this.failureSamples.length < this.sampleLimit && (this.failuresByCause[sample.cause] ?? 0) <= Math.max(1, this.sampleLimit / 4)) {
      this.failureSamples.push(sample);
    }
  }

  close(sample: CloseSample): void {
    this.closes += 1;
    bump(this.closesByCode, String(sample.code));
    if (sample.instance !== null) bump(this.closesByInstance, sample.instance);
    if (sample.silent === null) this.clean += 1;
    else {
      this.silent += 1;
      bump(this.silentByCause, sample.silent);
      bump(this.silentByInstance, sample.instance ?? 'unknown');
    }
    // Silent closes first: they are what a reader of the report needs to see.
    if (this.closeSamples.length < this.sampleLimit && (sample.silent !== null || this.closeSamples.length < this.sampleLimit / 2)) {
      this.closeSamples.push(sample);
    }
  }

  counters(): Counters {
    return {
      attempts: this.attempts,
      opened: this.opened,
      failed: this.failed,
      failuresByCause: { ...this.failuresByCause },
      failuresByHttpStatus: { ...this.failuresByHttpStatus },
      closes: this.closes,
      closesByCode: { ...this.closesByCode },
      clean: this.clean,
      silent: this.silent,
      silentByCause: { ...this.silentByCause },
      silentByInstance: { ...this.silentByInstance },
      closesByInstance: { ...this.closesByInstance },
      noticesByKind: { ...this.noticesByKind },
      migrations: this.migrations,
      gaps: this.gaps,
      gapEvents: this.gapEvents,
      gapsByInstance: { ...this.gapsByInstance },
      firstDistribution: { ...this.firstDistribution },
      reconnectMs: [...this.reconnectMs],
      samples: { closes: [...this.closeSamples], failures: [...this.failureSamples] },
    };
  }
}

function bump<K extends string>(counts: Partial<Record<K, number>>, key: K, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}
