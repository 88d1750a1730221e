// The probe pool port: many long-lived WebSocket clients behaving like real ones, seen from the
// outside only as counters. The adapter is src/probe/pool/ (the owner of ws).

/** How a gateway speaks: where the hello names its instance, where ticks carry their sequence, what a notice looks like. */
export interface ProbeProtocol {
  /** Dotted field of the first message naming the instance (reference gateways: `instance`). */
  instanceField: string;
  /** Dotted field of a numbered message (reference: `seq` of `{"type":"tick","seq":N}`). */
  seqField: string;
  /** Dotted field whose presence makes a message a notice (reference: `status` of `{"type":"status",…}`). */
  noticeField: string;
  /** The notice value that means "reconnect elsewhere" (reference: `migrating`). */
  migratingValue: string;
  /** Dotted field of a migrating notice holding the new endpoint (reference: `details.new_endpoint`). */
  endpointField: string;
  /** Dotted field of a migrating notice holding the delay in ms (reference: `details.reconnect_after`). */
  reconnectAfterField: string;
  /** False for gateways that never send notices: then only 1006, a reset or a ping timeout is silent. */
  notices: boolean;
}

/** How the reference gateways speak (the probe's defaults; wscat reads notices with it too). */
export const REFERENCE_PROTOCOL: ProbeProtocol = {
  instanceField: 'instance',
  seqField: 'seq',
  noticeField: 'status',
  migratingValue: 'migrating',
  endpointField: 'details.new_endpoint',
  reconnectAfterField: 'details.reconnect_after',
  notices: true,
};

/** Why a close counts as silent. */
export type SilentCause = 'abnormal' | 'reset' | 'ping-timeout' | 'no-notice';
/** Why a connection attempt failed before its hello. */
export type ConnectFailureCause = 'refused' | 'reset' | 'timeout' | 'http' | 'tls' | 'dns' | 'source-address' | 'no-hello' | 'other';

export interface CloseSample {
  /** Connection number, 0-based. */
  connection: number;
  /** Milliseconds since the pool started. */
  atMs: number;
  code: number;
  reason: string;
  /** The notice that came before the close (`shutting_down`, `migrating`, …), or null. */
  notice: string | null;
  instance: string | null;
  silent: SilentCause | null;
}

export interface FailureSample {
  connection: number;
  atMs: number;
  cause: ConnectFailureCause;
  /** The HTTP status of a refused upgrade. */
  httpStatus: number | null;
  detail: string;
}

/** Everything the pool has seen, as plain data (no socket, no cookie value). */
export interface ProbePoolSnapshot {
  /** Milliseconds since start(). */
  elapsedMs: number;
  connections: number;
  /** Right now. */
  open: number;
  connecting: number;
  /** Closed and waiting (back-off, or a migrating notice's delay) before the next attempt. */
  waiting: number;
  /** Connections that have said hello at least once. */
  everOpened: number;
  attempts: number;
  /** Handshakes that reached a hello (first ones and reconnects). */
  opened: number;
  failed: number;
  failuresByCause: Partial<Record<ConnectFailureCause, number>>;
  /** HTTP status of refused upgrades → count. */
  failuresByHttpStatus: Record<string, number>;
  /** Closes the pool did not ask for. */
  closes: number;
  closesByCode: Record<string, number>;
  clean: number;
  silent: number;
  silentByCause: Partial<Record<SilentCause, number>>;
  silentByInstance: Record<string, number>;
  closesByInstance: Record<string, number>;
  noticesByKind: Record<string, number>;
  migrations: number;
  /** Missing sequence numbers, summed; and how many jumps produced them. */
  gaps: number;
  gapEvents: number;
  gapsByInstance: Record<string, number>;
  /** Instance → connections open on it right now. */
  distribution: Record<string, number>;
  /** Connections that have been on more than one instance. */
  moved: number;
  /** Instance → connections whose first hello came from it. */
  firstDistribution: Record<string, number>;
  /** Close → next hello, in ms, one entry per completed reconnect (bounded reservoir beyond 1,000,000). */
  reconnectMs: number[];
  /** The first closes and failures in detail (bounded). */
  samples: { closes: CloseSample[]; failures: FailureSample[] };
}

export interface ProbePool {
  /** Begin opening connections at the connect rate; returns at once. */
  start(): void;
  /** Close every connection with 1000 and stop reconnecting; resolves when all are closed (or cut off). */
  stop(): Promise<void>;
  snapshot(): ProbePoolSnapshot;
  /** Connections open right now whose instance is not one of `instances`. */
  openElsewhere(instances: ReadonlySet<string>): number;
}
