// One person's WebSocket session (`conduitctl wscat`): connect, relay messages both ways, ping
// with a round trip, close with a code and reason, and — when asked — follow the gateway's
// `migrating` notice to its new endpoint (or back off and reconnect after any other close).
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { backoffDelay } from '../../util/backoff.js';
import { bodySnippet, classifyConnectError, type ConnectFailure } from './failure.js';
import { readStatusNotice, type StatusNotice } from './notice.js';

export interface ChatOptions {
  url: string;
  headers: Record<string, string>;
  subprotocols: string[];
  connectTimeoutMs: number;
  rejectUnauthorized: boolean;
  ca?: Buffer;
  autoReconnect: boolean;
  /** Consecutive failed reconnects before giving up. */
  maxReconnects: number;
  random?: () => number;
}

export type ChatEvent =
  | { type: 'connecting'; url: string; attempt: number }
  | { type: 'open'; url: string; protocol: string; instance?: string }
  | { type: 'message'; text: string; notice?: StatusNotice }
  | { type: 'binary'; data: Buffer }
  | { type: 'ping' }
  | { type: 'pong'; rttMs: number }
  | { type: 'closed'; code: number; reason: string; byUs: boolean; notice?: StatusNotice }
  | { type: 'connect-failed'; url: string; failure: ConnectFailure }
  | { type: 'reconnecting'; url: string; delayMs: number; migrating: boolean };

export type ChatOutcome =
  /** The last connection closed: `byUs` after close(), otherwise the server (or the network) ended it. */
  | { kind: 'closed'; code: number; reason: string; byUs: boolean }
  /** A connection could not be opened (the first one, or the last reconnect allowed). */
  | { kind: 'failed'; url: string; failure: ConnectFailure }
  /** close() while no connection was open (connecting or waiting to reconnect). */
  | { kind: 'stopped' };

export interface Chat {
  /** False when no connection is open: the message was not sent. */
  send(text: string): boolean;
  /** False when no connection is open; otherwise a `pong` event follows with the round trip. */
  ping(): boolean;
  close(code?: number, reason?: string): void;
  readonly done: Promise<ChatOutcome>;
}

/** How long the close handshake may take before the socket is cut. */
const CLOSE_TIMEOUT_MS = 5_000;
const RECONNECT_BASE_MS = 500;
const RECONNECT_CAP_MS = 30_000;
/** A server's reconnect_after is honoured up to this; a larger one is a broken notice, not a plan. */
const MAX_TOLD_DELAY_MS = 5 * 60_000;
const MAX_BODY_CHARS = 512;

export function openChat(options: ChatOptions, emit: (event: ChatEvent) => void): Chat {
  let url = options.url;
  let ws: WebSocket | undefined;
  let open = false;
  let quitting = false;
  let failedReconnects = 0;
  let everOpened = false;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let pingSeq = 0;
  const pingsInFlight = new Map<string, number>();
  let finish!: (outcome: ChatOutcome) => void;
  const done = new Promise<ChatOutcome>((resolve) => (finish = resolve));

  function connect(): void {
    emit({ type: 'connecting', url, attempt: failedReconnects });
    // closeTimeout exists since ws 8.18 (ws#2308) but is not in @types/ws yet.
    const wsOptions: WebSocket.ClientOptions & { closeTimeout: number } = {
      headers: options.headers,
      perMessageDeflate: false,
      handshakeTimeout: options.connectTimeoutMs,
      closeTimeout: CLOSE_TIMEOUT_MS,
      followRedirects: false,
      rejectUnauthorized: options.rejectUnauthorized,
      ...(options.ca ? { ca: options.ca } : {}),
    };
    const socket = new WebSocket(url, options.subprotocols, wsOptions);
    ws = socket;
    let instance: string | undefined;
    let refused: { status: number; body: string } | undefined;
    let error: Error | undefined;
    let lastNotice: StatusNotice | undefined;

    socket.on('upgrade', (res) => {
      const header = res.headers['x-conduit-instance'];
      instance = typeof header === 'string' ? header : undefined;
    });
    socket.on('unexpected-response', (_req, res) => {
      const answer = { status: res.statusCode ?? 0, body: '' };
      refused = answer;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (answer.body.length < MAX_BODY_CHARS) answer.body += chunk;
      });
      const cut = () => socket.terminate();
      res.once('end', cut);
      res.once('error', cut);
      setTimeout(cut, 1_000).unref();
    });
    socket.on('error', (e) => (error ??= e));
    socket.on('open', () => {
      open = true;
      everOpened = true;
      failedReconnects = 0;
      emit({ type: 'open', url, protocol: socket.protocol, instance });
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return emit({ type: 'binary', data });
      const text = data.toString('utf8');
      const notice = readStatusNotice(text, url);
      if (notice) lastNotice = notice;
      emit({ type: 'message', text, notice });
    });
    socket.on('ping', () => emit({ type: 'ping' }));
    socket.on('pong', (payload: Buffer) => {
      const sentAt = pingsInFlight.get(payload.toString());
      if (sentAt === undefined) return;
      pingsInFlight.delete(payload.toString());
      emit({ type: 'pong', rttMs: performance.now() - sentAt });
    });
    socket.on('close', (code: number, reasonBuffer: Buffer) => {
      const wasOpen = open;
      open = false;
      ws = undefined;
      pingsInFlight.clear();
      if (!wasOpen) return afterFailedAttempt(refused ? { kind: 'refused-upgrade', status: refused.status, body: bodySnippet(refused.body) } : classifyConnectError(error));
      const reason = reasonBuffer.toString('utf8');
      emit({ type: 'closed', code, reason, byUs: quitting, notice: lastNotice });
      if (quitting || !options.autoReconnect) return finish({ kind: 'closed', code, reason, byUs: quitting });
      if (lastNotice?.status === 'migrating') {
        url = lastNotice.newEndpoint ?? url;
        return scheduleReconnect(Math.min(lastNotice.reconnectAfterMs ?? 0, MAX_TOLD_DELAY_MS), true);
      }
      scheduleReconnect(backoffDelay(0, RECONNECT_BASE_MS, RECONNECT_CAP_MS, options.random), false);
    });
  }

  function afterFailedAttempt(failure: ConnectFailure): void {
    emit({ type: 'connect-failed', url, failure });
    if (quitting) return finish({ kind: 'stopped' });
    failedReconnects += 1;
    // The first connection failing is an answer (a typo, a refused upgrade): report it at once.
    if (!options.autoReconnect || !everOpened || failedReconnects > options.maxReconnects) return finish({ kind: 'failed', url, failure });
    scheduleReconnect(backoffDelay(failedReconnects, RECONNECT_BASE_MS, RECONNECT_CAP_MS, options.random), false);
  }

  function scheduleReconnect(delayMs: number, migrating: boolean): void {
    emit({ type: 'reconnecting', url, delayMs, migrating });
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connect();
    }, delayMs);
  }

  connect();
  return {
    done,
    send(text) {
      // Between a close frame and the close event the socket is CLOSING: a send would be lost.
      if (!open || ws?.readyState !== WebSocket.OPEN) return false;
      ws.send(text);
      return true;
    },
    ping() {
      if (!open || ws?.readyState !== WebSocket.OPEN) return false;
      const payload = String(++pingSeq);
      pingsInFlight.set(payload, performance.now());
      ws.ping(payload);
      return true;
    },
    close(code = 1000, reason = '') {
      if (quitting) return;
      quitting = true;
      if (reconnectTimer !== undefined) {
        clearTimeout(reconnectTimer);
        return finish({ kind: 'stopped' });
      }
      if (open && ws) ws.close(code, reason);
      else ws?.terminate();
    },
  };
}
