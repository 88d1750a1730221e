// The tests' real WebSocket clients (one module): plain clients connected from a source address
// that wait for the gateway's hello, a client that records every message and its close, an upgrade
// probe, and FollowingClients, a swarm that follows migrating notices and judges every close.
import WebSocket from 'ws';
import { until } from './until.js';

export async function connectClients(url: string, count: number, localAddress?: string): Promise<WebSocket[]> {
  return Promise.all(
    Array.from({ length: count }, () =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 5_000, localAddress });
        ws.once('message', () => resolve(ws)); // the hello
        ws.once('error', reject);
      }),
    ),
  );
}

export async function closeClients(clients: WebSocket[]): Promise<void> {
  await Promise.all(
    clients.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close(1000, 'test done');
          setTimeout(() => ws.terminate(), 2_000).unref();
        }),
    ),
  );
}

/** A WebSocket client that records every text message and how it was closed. */
export class RecordingClient {
  readonly messages: string[] = [];
  /** How the connection ended: the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => this.messages.push(data.toString('utf8')));
    this.closed = new Promise((resolve) => {
      socket.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString('utf8') }));
    });
    socket.on('error', () => {});
  }

  static open(url: string): Promise<RecordingClient> {
    const socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 5000 });
    const client = new RecordingClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
      socket.once('error', reject);
    });
  }

  /** Parsed JSON messages (the gateway only sends JSON; echoes are whatever we sent). */
  parsed(): Array<Record<string, unknown>> {
    return this.messages.flatMap((text) => {
      const message = parse(text);
      return message === undefined ? [] : [message];
    });
  }

  async waitForMessage(predicate: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    let found: Record<string, unknown> | undefined;
    await until(() => (found = this.parsed().find(predicate)) !== undefined, 'condition', 10_000, 10);
    return found as Record<string, unknown>;
  }

  close(): void {
    this.socket.terminate();
  }
}

/** Tries an upgrade and returns the HTTP status it was refused with (101 when accepted). */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 5000 });
    socket.once('upgrade', () => {
      socket.terminate();
      resolve(101);
    });
    socket.once('unexpected-response', (req, res) => {
      req.destroy();
      resolve(res.statusCode ?? 0);
    });
    socket.once('error', reject);
  });
}

// A small, bounded swarm of real WebSocket clients that behave like Conduit's SDK: on a
// `migrating` notice they reconnect to `new_endpoint` after `reconnect_after` ms. Every close is
// judged: after a status notice (migrating → 1012, shutting_down → 1001) it is clean; anything
// else (no notice, 1006) is SILENT. Used by e2e tests as the clients and as the judge, and by
// bench/migrate (where it also records when each reconnect reached a receiver).
export interface FollowingClientsOptions {
  url: string;
  count: number;
  /** Bind each connection to this local address (a test's own loopback range). */
  localAddress?: string;
  /** Opened at most this many at once while connecting. */
  concurrency?: number;
  /** After a shutting_down notice, reconnect to the original URL after this long (default: never). */
  reconnectAfterShutdownMs?: number;
}

export interface MoveRecord {
  from: string;
  to: string;
  closeCode: number;
  reconnectAfterMs: number;
  /** Date.now() when the new connection said hello. */
  arrivedAt?: number;
  arrivedOn?: string;
}

export interface SwarmStats {
  open: number;
  notices: number;
  moves: MoveRecord[];
  silent: Array<{ instance: string; code: number }>;
  /** Reconnects that failed (refused, 503): lost but not silent. */
  failedReconnects: number;
  /** Instance name → open connections. */
  byInstance: Record<string, number>;
}

interface Client {
  socket: WebSocket;
  instance?: string;
  notice?: { status: string; newEndpoint?: string; reconnectAfterMs?: number };
}

export class FollowingClients {
  private readonly live = new Set<Client>();
  private readonly stats = { notices: 0, moves: [] as MoveRecord[], silent: [] as Array<{ instance: string; code: number }>, failedReconnects: 0 };
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(private readonly options: FollowingClientsOptions) {}

  static async open(options: FollowingClientsOptions): Promise<FollowingClients> {
    const swarm = new FollowingClients(options);
    const concurrency = options.concurrency ?? 200;
    for (let done = 0; done < options.count; done += concurrency) {
      const n = Math.min(concurrency, options.count - done);
      await Promise.all(Array.from({ length: n }, () => swarm.connect(options.url)));
    }
    return swarm;
  }

  snapshot(): SwarmStats {
    const byInstance: Record<string, number> = {};
    for (const c of this.live) if (c.instance && c.socket.readyState === WebSocket.OPEN) byInstance[c.instance] = (byInstance[c.instance] ?? 0) + 1;
    return { open: Object.values(byInstance).reduce((a, b) => a + b, 0), notices: this.stats.notices, moves: [...this.stats.moves], silent: [...this.stats.silent], failedReconnects: this.stats.failedReconnects, byInstance };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.all(
      [...this.live].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.socket.readyState === WebSocket.CLOSED) return resolve();
            c.socket.once('close', () => resolve());
            c.socket.terminate();
          }),
      ),
    );
  }

  private connect(url: string, move?: MoveRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 10_000, ...(this.options.localAddress ? { localAddress: this.options.localAddress } : {}) });
      const client: Client = { socket };
      this.live.add(client);
      socket.on('message', (data: Buffer) => {
        const message = parse(data.toString('utf8'));
        if (message?.type === 'hello') {
          client.instance = String(message.instance);
          if (move) {
            move.arrivedAt = Date.now();
            move.arrivedOn = client.instance;
          }
          resolve();
        } else if (message?.type === 'status') {
          this.stats.notices += 1;
          const details = (message.details ?? {}) as Record<string, unknown>;
          client.notice = {
            status: String(message.status),
            ...(typeof details.new_endpoint === 'string' ? { newEndpoint: details.new_endpoint } : {}),
            ...(typeof details.reconnect_after === 'number' ? { reconnectAfterMs: details.reconnect_after } : {}),
          };
        }
      });
      socket.on('error', (error) => {
        if (!client.instance) reject(error);
      });
      socket.on('close', (code) => {
        this.live.delete(client);
        if (this.stopped || !client.instance) return;
        const notice = client.notice;
        const clean = (notice?.status === 'migrating' && code === 1012) || (notice?.status === 'shutting_down' && code === 1001);
        if (!clean) {
          this.stats.silent.push({ instance: client.instance, code });
          return;
        }
        if (notice!.status === 'migrating' && notice!.newEndpoint) {
          const record: MoveRecord = { from: client.instance, to: notice!.newEndpoint, closeCode: code, reconnectAfterMs: notice!.reconnectAfterMs ?? 0 };
          this.stats.moves.push(record);
          this.later(record.reconnectAfterMs, () => this.connect(notice!.newEndpoint!, record));
        } else if (this.options.reconnectAfterShutdownMs !== undefined) {
          this.later(this.options.reconnectAfterShutdownMs, () => this.connect(this.options.url));
        }
      });
    });
  }

  private later(ms: number, reconnect: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) reconnect().catch(() => (this.stats.failedReconnects += 1));
    }, ms);
    this.timers.add(timer);
  }
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
