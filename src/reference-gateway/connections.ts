// The WebSocket connections of one instance: hello, ticks, echo, and every server-initiated
// close (always a status notice first, then a close frame, then a bounded wait for the peer).
// Built to hold tens of thousands of idle connections: one shared tick timer, no per-message
// parsing, a timer per connection only while it is closing.
import { WebSocket } from 'ws';
import type { RawData } from 'ws';

export interface Connection {
  readonly id: string;
  readonly socket: WebSocket;
  seq: number;
  closing: boolean;
  closeTimer?: NodeJS.Timeout;
}

export interface ConnectionRegistryOptions {
  instance: string;
  tickMs: number;
  closeTimeoutMs: number;
  /** The `ticks: skip` fault: when true, a tick skips one sequence number. */
  skipTick?: () => boolean;
}

export const SHUTDOWN_NOTICE = JSON.stringify({ type: 'status', status: 'shutting_down' });

export function migratingNotice(newEndpoint: string, reconnectAfterMs: number): string {
  return JSON.stringify({
    type: 'status',
    status: 'migrating',
    details: { new_endpoint: newEndpoint, reconnect_after: reconnectAfterMs },
  });
}

export class ConnectionRegistry {
  /** Open or closing connections; Map insertion order is connection age (oldest first). */
  private readonly live = new Map<WebSocket, Connection>();
  private readonly emptyWaiters: Array<() => void> = [];
  private readonly idPrefix: string;
  private tickTimer: NodeJS.Timeout | undefined;
  private accepted = 0;
  private migratedCount = 0;

  constructor(private readonly options: ConnectionRegistryOptions) {
    this.idPrefix = `${options.instance}.${Math.random().toString(36).slice(2, 8)}`;
  }

  /** Connections not yet fully closed (open or in the close handshake). */
  get active(): number {
    return this.live.size;
  }

  get total(): number {
    return this.accepted;
  }

  get migrated(): number {
    return this.migratedCount;
  }

  accept(socket: WebSocket): void {
    this.accepted += 1;
    const connection: Connection = { id: `${this.idPrefix}.${this.accepted}`, socket, seq: 0, closing: false };
    this.live.set(socket, connection);
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(data, { binary: isBinary });
    });
    // ws closes the socket itself after a protocol error; the listener keeps it from throwing.
    socket.on('error', () => {});
    socket.once('close', () => this.forget(connection));
    socket.send(JSON.stringify({ type: 'hello', instance: this.options.instance, connectionId: connection.id }));
    this.startTicking();
  }

  /** The `count` oldest connections that are open and not already being closed. */
  oldestOpen(count: number): Connection[] {
    const chosen: Connection[] = [];
    for (const connection of this.live.values()) {
      if (chosen.length >= count) break;
      if (!connection.closing && connection.socket.readyState === WebSocket.OPEN) chosen.push(connection);
    }
    return chosen;
  }

  /** Connections that are open and not being closed. */
  openCount(): number {
    let open = 0;
    for (const connection of this.live.values()) if (!connection.closing) open += 1;
    return open;
  }

  migrate(connection: Connection, newEndpoint: string, reconnectAfterMs: number): void {
    this.migratedCount += 1;
    this.closeWithNotice(connection, migratingNotice(newEndpoint, reconnectAfterMs), 1012, 'migrating');
  }

  /** Tells every remaining client the instance is going away and closes it with 1001. */
  shutDownAll(): void {
    for (const connection of this.live.values()) {
      this.closeWithNotice(connection, SHUTDOWN_NOTICE, 1001, 'shutting down');
    }
  }

  /** Abrupt end, like a killed process: no notice, no close handshake (clients see 1006). */
  terminateAll(): void {
    for (const connection of this.live.values()) connection.socket.terminate();
    this.stopTicking();
  }

  whenEmpty(): Promise<void> {
    if (this.live.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptyWaiters.push(resolve));
  }

  private closeWithNotice(connection: Connection, notice: string, code: number, reason: string): void {
    if (connection.closing) return;
    connection.closing = true;
    const { socket } = connection;
    if (socket.readyState === WebSocket.OPEN) {
      socket.send(notice);
      socket.close(code, reason);
    }
    // A peer that never answers the close frame must not keep the count above zero.
    connection.closeTimer = setTimeout(() => socket.terminate(), this.options.closeTimeoutMs);
  }

  private forget(connection: Connection): void {
    clearTimeout(connection.closeTimer);
    this.live.delete(connection.socket);
    if (this.live.size > 0) return;
    this.stopTicking();
    for (const resolve of this.emptyWaiters.splice(0)) resolve();
  }

  private startTicking(): void {
    if (this.tickTimer !== undefined || this.options.tickMs <= 0) return;
    this.tickTimer = setInterval(() => this.tick(), this.options.tickMs);
  }

  private stopTicking(): void {
    clearInterval(this.tickTimer);
    this.tickTimer = undefined;
  }

  private tick(): void {
    const step = this.options.skipTick?.() ? 2 : 1;
    for (const connection of this.live.values()) {
      if (connection.closing || connection.socket.readyState !== WebSocket.OPEN) continue;
      connection.seq += step;
      connection.socket.send('{"type":"tick","seq":' + connection.seq + '}');
    }
  }
}
