import type WebSocket from 'ws';
import type { SilentCause } from '../../ops/ports/index.js';

export const Phase = { Queued: 0, Connecting: 1, Open: 2, Waiting: 3, Stopped: 4 } as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

/**
 * One simulated client: numbers and a few strings, nothing per event. Fields that only matter
 * for the socket in hand (notice, lastSeq, pingSentAt, silentCause, error) are reset on close.
 */
export class ProbeConnection {
  ws: WebSocket | undefined = undefined;
  phase: Phase = Phase.Queued;
  /** Interned instance name of the current (or last) hello. */
  instance: string | undefined = undefined;
  instancesSeen = 0;
  /** The Cookie header this client sends. */
  jar: string | undefined = undefined;
  lastSeq = 0;
  /** Status of the last notice on this socket. */
  notice: string | undefined = undefined;
  /** Where a migrating notice sent this client; kept through failed attempts until a hello (or too many failures). */
  migrateTo: string | undefined = undefined;
  migrateAfterMs = 0;
  /** Failed attempts at migrateTo so far. */
  migrateFailures = 0;
  /** When the last unasked-for close happened (pool ms), -1 once the next hello arrived. */
  closedAt = -1;
  backoffAttempt = 0;
  /** While connecting: when the attempt began; while open: when the last ping was sent (or the hello came). */
  markAt = 0;
  /** When the unanswered ping was sent, 0 when none is outstanding. */
  pingSentAt = 0;
  silentCause: SilentCause | undefined = undefined;
  error: Error | undefined = undefined;
  timer: NodeJS.Timeout | undefined = undefined;

  constructor(readonly index: number) {}

  resetSocketState(): void {
    this.ws = undefined;
    this.lastSeq = 0;
    this.notice = undefined;
    this.pingSentAt = 0;
    this.silentCause = undefined;
    this.error = undefined;
  }
}
