// The probe pool: N WebSocket clients that behave like real ones through a rolling update.
// One token bucket paces every attempt (first connections and reconnects), one sweep timer sends
// every ping and judges every ping timeout; a timer exists per connection only while it waits to
// reconnect. Each close is judged once (clean, or silent and why) and counted, never kept whole.
import type { IncomingMessage } from 'node:http';
import WebSocket, { type RawData } from 'ws';
import type { ProbePool, ProbePoolSnapshot, SilentCause } from '../../ops/ports/index.js';
import { backoffDelay } from '../../util/backoff.js';
import { Phase, ProbeConnection } from './connection.js';
import { storeSetCookies } from './cookie-header.js';
import { classifyConnectError, HandshakeTimeout } from './failure.js';
import { messageReader, type GatewayMessage } from './messages.js';
import { resolvePoolOptions, type ProbePoolOptions } from './options.js';
import { PoolStats } from './stats.js';
import { TokenBucket } from './token-bucket.js';

const STOP_GRACE_MS = 3_000;
const MAX_REASON_CHARS = 123;
const HTTP_REFUSAL = /Unexpected server response: (\d{3})/;
/** Attempts at a migrating notice's endpoint before a client falls back to the probed URL. */
const MIGRATE_ATTEMPTS = 3;
/** A socket that knows its connection in a field of its own (a property added later would cost a backing store per socket). */
class ProbeSocket extends WebSocket {
  constructor(
    url: string,
    protocols: string[],
    options: WebSocket.ClientOptions,
    readonly connection: ProbeConnection,
  ) {
    super(url, protocols, options);
  }
}
const connectionOf = (ws: WebSocket) => (ws as ProbeSocket).connection;

export function createProbePool(input: ProbePoolOptions): ProbePool {
  const options = resolvePoolOptions(input);
  const { protocol } = options;
  // Whole milliseconds: small integers live inside the connection object, fractions would be boxed.
  const now = () => Math.floor(options.now());
  const reader = messageReader(protocol);
  const stats = new PoolStats(options.sampleLimit, options.random);
  const bucket = new TokenBucket(options.connectRatePerSecond, Math.max(1, Math.ceil(options.connectRatePerSecond / 10)), now);
  const instances = new Map<string, string>();
  const connections = Array.from(
    { length: options.connections },
    (_, i) => new ProbeConnection(i),
  );
  const queue: ProbeConnection[] = [];
  let queueHead = 0;
  let pumpTimer: NodeJS.Timeout | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let startedAt = 0;
  let started = false;
  let stopping = false;
  let onAllStopped: (() => void) | undefined;
  let liveSockets = 0;
  const sweepMs = Math.max(50, Math.min(1_000, Math.floor(Math.min(options.pingIntervalMs, options.pingTimeoutMs, options.handshakeTimeoutMs) / 4)));
  const elapsed = () => Math.round(now() - startedAt);
  const intern = (name: string) => {
    let kept = instances.get(name);
    if (kept === undefined) instances.set(name, (kept = name));
    return kept;
  };

  function enqueue(connection: ProbeConnection): void {
    connection.phase = Phase.Queued;
    queue.push(connection);
    pump();
  }

  function pump(): void {
    if (stopping || pumpTimer !== undefined) return;
    while (queueHead < queue.length && bucket.take()) connect(queue[queueHead++]!);
    if (queueHead === queue.length) {
      queue.length = 0;
      queueHead = 0;
      return;
    }
    pumpTimer = setTimeout(() => {
      pumpTimer = undefined;
      pump();
    }, bucket.waitMs());
  }

  function connect(connection: ProbeConnection): void {
    const url = connection.migrateTo ?? options.url;
    connection.phase = Phase.Connecting;
    connection.markAt = now();
    stats.attempts += 1;
    const headers = connection.jar === undefined ? options.headers : { ...options.headers, cookie: connection.jar };
    let ws: WebSocket;
    try {
      ws = new ProbeSocket(url, options.subprotocols, {
        headers,
        perMessageDeflate: false,
        followRedirects: false,
        localAddress: options.sourceAddresses.length ? options.sourceAddresses[connection.index % options.sourceAddresses.length] : undefined,
        rejectUnauthorized: options.rejectUnauthorized,
        ca: options.ca,
      }, connection);
    } catch (error) {
      failed(connection, error as Error, 0);
      return;
    }
    connection.ws = ws;
    liveSockets += 1;
    // `on`, not `once`: removing a listener turns the emitter's table into a dictionary, per socket.
    if (options.cookies) ws.on('upgrade', keepCookies);
    ws.on('message', onMessage);
    ws.on('pong', onPong);
    ws.on('error', onError);
    ws.on('close', onSocketClose);
  }

  // One set of listeners shared by every socket (`this` is the socket): no closures per connection.
  function keepCookies(this: WebSocket, response: IncomingMessage): void {
    const connection = connectionOf(this);
    connection.jar = storeSetCookies(connection.jar, response.headers['set-cookie'], Date.now());
  }
  function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    const connection = connectionOf(this);
    const frame = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (connection.phase === Phase.Connecting) onHello(connection, frame.toString('utf8'));
    else onGatewayMessage(connection, reader.readFrame(frame));
  }
  function onPong(this: WebSocket): void {
    connectionOf(this).pingSentAt = 0;
  }
  function onError(this: WebSocket, error: Error): void {
    connectionOf(this).error ??= error;
  }
  function onSocketClose(this: WebSocket, code: number, reason: Buffer): void {
    onClose(connectionOf(this), code, reason);
  }

  function onGatewayMessage(connection: ProbeConnection, message: GatewayMessage): void {
    if (message.kind === 'numbered') {
      if (connection.lastSeq > 0 && message.seq > connection.lastSeq + 1) {
        stats.gap(connection.instance ?? 'unknown', message.seq - connection.lastSeq - 1);
      }
      connection.lastSeq = message.seq;
    } else if (message.kind === 'notice') {
      connection.notice = message.status;
      stats.notice(message.status);
      if (message.status === protocol.migratingValue && message.endpoint !== undefined) {
        connection.migrateTo = migrationTarget(message.endpoint, options.url);
        connection.migrateAfterMs = message.reconnectAfterMs ?? 0;
        connection.migrateFailures = 0;
      }
    }
  }

  function onHello(connection: ProbeConnection, text: string): void {
    const instance = intern(reader.instanceOf(text) ?? 'unknown');
    connection.phase = Phase.Open;
    stats.opened += 1;
    if (connection.instancesSeen === 0) {
      stats.firstHello(instance);
      connection.instancesSeen = 1;
    } else if (instance !== connection.instance) connection.instancesSeen += 1;
    connection.instance = instance;
    connection.backoffAttempt = 0;
    // Arrived: a later close without a notice goes back to the probed URL.
    connection.migrateTo = undefined;
    connection.markAt = now();
    if (connection.closedAt >= 0) {
      stats.reconnected(now() - connection.closedAt);
      connection.closedAt = -1;
    }
  }

  function onClose(connection: ProbeConnection, code: number, reason: Buffer): void {
    const wasOpen = connection.phase === Phase.Open;
    const error = connection.error;
    const silentCause = connection.silentCause;
    const notice = connection.notice;
    liveSockets -= 1;
    if (stopping) {
      connection.resetSocketState();
      connection.phase = Phase.Stopped;
      if (liveSockets === 0) onAllStopped?.();
      return;
    }
    if (!wasOpen) {
      connection.resetSocketState();
      return failed(connection, error, code);
    }
    const silent = judgeClose(code, error, silentCause, notice);
    stats.close({
      connection: connection.index,
      atMs: elapsed(),
      code,
      reason: reason.toString('utf8').slice(0, MAX_REASON_CHARS),
      notice: notice ?? null,
      instance: connection.instance ?? null,
      silent,
    });
    connection.closedAt = now();
    connection.resetSocketState();
    if (notice === protocol.migratingValue && connection.migrateTo !== undefined) {
      stats.migrations += 1;
      connection.backoffAttempt = 0;
      return waitThenConnect(connection, connection.migrateAfterMs);
    }
    connection.migrateTo = undefined;
    waitThenConnect(connection, backoffDelay(connection.backoffAttempt++, options.backoffBaseMs, options.backoffCapMs, options.random));
  }

  function judgeClose(code: number, error: Error | undefined, silentCause: SilentCause | undefined, notice: string | undefined): SilentCause | null {
    if (silentCause !== undefined) return silentCause;
    if (code === 1006) return (error as { code?: string } | undefined)?.code === 'ECONNRESET' ? 'reset' : 'abnormal';
    if (protocol.notices && notice === undefined) return 'no-notice';
    return null;
  }

  function failed(connection: ProbeConnection, error: Error | undefined, code: number): void {
    const refusal = error ? HTTP_REFUSAL.exec(error.message) : null;
    const { cause, detail } = refusal
      ? { cause: 'http' as const, detail: `HTTP ${refusal[1]} instead of 101` }
      : error
        ? classifyConnectError(error)
        : { cause: 'no-hello' as const, detail: `closed with ${code} before the first message` };
    stats.failure({ connection: connection.index, atMs: elapsed(), cause, httpStatus: refusal ? Number(refusal[1]) : null, detail });
    // A client keeps going where the notice sent it, with back-off, and falls back to its own URL
    // only when that endpoint keeps failing (the pod it named is gone).
    if (connection.migrateTo !== undefined && ++connection.migrateFailures >= MIGRATE_ATTEMPTS) connection.migrateTo = undefined;
    waitThenConnect(connection, backoffDelay(connection.backoffAttempt++, options.backoffBaseMs, options.backoffCapMs, options.random));
  }

  function waitThenConnect(connection: ProbeConnection, delayMs: number): void {
    connection.phase = Phase.Waiting;
    connection.timer = setTimeout(() => {
      connection.timer = undefined;
      if (!stopping) enqueue(connection);
    }, delayMs);
  }

  /** One pass over every connection: handshake timeouts, ping timeouts, and the pings that are due. */
  function sweep(): void {
    const at = now();
    for (const connection of connections) {
      const ws = connection.ws;
      if (ws === undefined) continue;
      if (connection.phase === Phase.Connecting) {
        if (at - connection.markAt > options.handshakeTimeoutMs) {
          connection.error ??= new HandshakeTimeout(options.handshakeTimeoutMs);
          ws.terminate();
        }
        continue;
      }
      if (connection.phase !== Phase.Open || ws.readyState !== WebSocket.OPEN) continue;
      if (connection.pingSentAt > 0) {
        if (at - connection.pingSentAt > options.pingTimeoutMs) {
          connection.silentCause = 'ping-timeout';
          ws.terminate();
        }
      } else if (at - connection.markAt >= options.pingIntervalMs) {
        connection.markAt = at;
        connection.pingSentAt = at;
        ws.ping();
      }
    }
  }

  return {
    start() {
      if (started) return;
      started = true;
      startedAt = now();
      for (const connection of connections) queue.push(connection);
      sweepTimer = setInterval(sweep, sweepMs);
      pump();
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      clearInterval(sweepTimer);
      clearTimeout(pumpTimer);
      const allStopped = new Promise<void>((resolve) => (onAllStopped = resolve));
      for (const connection of connections) {
        clearTimeout(connection.timer);
        const ws = connection.ws;
        if (ws === undefined) connection.phase = Phase.Stopped;
        else {
          if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'probe done');
          else ws.terminate();
        }
      }
      if (liveSockets === 0) return;
      const cutOff = setTimeout(() => {
        for (const connection of connections) connection.ws?.terminate();
      }, STOP_GRACE_MS);
      await allStopped;
      clearTimeout(cutOff);
    },
    snapshot(): ProbePoolSnapshot {
      let open = 0;
      let connecting = 0;
      let waiting = 0;
      let everOpened = 0;
      let moved = 0;
      const distribution: Record<string, number> = {};
      for (const connection of connections) {
        if (connection.instancesSeen > 0) everOpened += 1;
        if (connection.instancesSeen > 1) moved += 1;
        if (connection.phase === Phase.Open) {
          open += 1;
          const instance = connection.instance ?? 'unknown';
          distribution[instance] = (distribution[instance] ?? 0) + 1;
        } else if (connection.phase === Phase.Connecting) connecting += 1;
        else if (connection.phase === Phase.Waiting || (connection.phase === Phase.Queued && started)) waiting += 1;
      }
      return {
        elapsedMs: started ? elapsed() : 0,
        connections: connections.length,
        open,
        connecting,
        waiting,
        everOpened,
        moved,
        distribution,
        ...stats.counters(),
      };
    },
    openElsewhere(allowed) {
      let count = 0;
      for (const connection of connections) {
        if (connection.phase === Phase.Open && !allowed.has(connection.instance ?? '')) count += 1;
      }
      return count;
    },
  };
}

/** A migrating notice's endpoint as a ws(s) URL: absolute, or relative to the probed URL; http(s) becomes ws(s). */
function migrationTarget(endpoint: string, base: string): string | undefined {
  try {
    const url = new URL(endpoint, base);
    if (url.protocol === 'http:') url.protocol = 'ws:';
    else if (url.protocol === 'https:') url.protocol = 'wss:';
    return url.protocol === 'ws:' || url.protocol === 'wss:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
