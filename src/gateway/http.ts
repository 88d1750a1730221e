// One HTTP exchange with a gateway (or the API server's pods/proxy) over a shared keep-alive
// agent, bounded by the per-request timeout. Failures come back as values with a failure kind;
// only the caller's own abort is thrown, so an interrupted run stops instead of reading "unknown".
//
// node:http(s) rather than undici (DESIGN names undici): measured in issue 11, loading undici cost
// ~100-200 ms per command (900 KB bundled, ~400 KB for its Agent and request API alone) against
// nothing for the built-in client, and the fan-out's per-request time was the same or better; the
// Kubernetes adapter already speaks node:https. docs/architecture.md has the numbers.

import http from 'node:http';
import https from 'node:https';
import { createSecureContext, type ConnectionOptions } from 'node:tls';
import type { GatewayFailure } from '../ops/errors.js';
import type { Redactor } from './redact.js';

/** Bodies larger than this are not a gateway's admin answer. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type HttpOutcome = { ok: true; answer: HttpAnswer } | { ok: false; failure: GatewayFailure; reason: string };

export interface AgentOptions {
  connectionsPerOrigin: number;
  timeoutMs: number;
  tls: {
    ca?: string | Buffer | Array<string | Buffer>;
    cert?: string | Buffer;
    key?: string | Buffer;
    servername?: string;
    rejectUnauthorized: boolean;
  };
}

/**
 * TLS options for every connection. The CA and client certificate are parsed into one secure
 * context up front: otherwise each of the pool's connections (to the API server, for pods/proxy)
 * parses them again.
 */
function connectTls({ ca, cert, key, ...rest }: AgentOptions['tls']): ConnectionOptions {
  if (ca === undefined && cert === undefined && key === undefined) return rest;
  return { ...rest, secureContext: createSecureContext({ ca, cert, key }) };
}

/** Idle keep-alive sockets close after this (sooner when the server's Keep-Alive hint says so). */
const IDLE_SOCKET_MS = 4_000;

/** Raised inside send() when the per-request deadline passes. */
class DeadlineError extends Error {
  override readonly name = 'TimeoutError';
}

export class GatewayHttp {
  private readonly plain: http.Agent;
  private readonly secure: https.Agent;
  /**
   * Requests in flight under each caller signal. One abort listener per signal aborts them all: a
   * listener per request would be 64 on the run's signal during a status fan-out (Node 20 warns
   * past 10), and AbortSignal.any per request costs more than the request on a loaded machine.
   */
  private readonly inFlight = new WeakMap<AbortSignal, Set<AbortController>>();

  constructor(
    private readonly options: AgentOptions,
    private readonly redactor: Redactor,
  ) {
    const pool = { keepAlive: true, maxSockets: options.connectionsPerOrigin, maxFreeSockets: options.connectionsPerOrigin, timeout: IDLE_SOCKET_MS };
    this.plain = new http.Agent(pool);
    this.secure = new https.Agent({ ...pool, ...connectTls(options.tls) });
  }

  /** `timeoutMs` (default: the agent's) bounds this one exchange: connect, headers and body. */
  async send(exchange: HttpRequest, signal?: AbortSignal, timeoutMs = this.options.timeoutMs): Promise<HttpOutcome> {
    signal?.throwIfAborted();
    if (timeoutMs <= 0) return { ok: false, failure: 'timeout', reason: 'no time left before the deadline' };
    try {
      return await this.exchange(exchange, signal, timeoutMs);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      // A kept-alive socket the server closed just as we reused it: the request never reached it.
      if (exchange.method === 'GET' && (error as { reusedSocket?: boolean }).reusedSocket && (error as { code?: string }).code === 'ECONNRESET') {
        try {
          return await this.exchange(exchange, signal, timeoutMs);
        } catch (retryError) {
          if (signal?.aborted) throw signal.reason;
          return this.classify(retryError, timeoutMs);
        }
      }
      return this.classify(error, timeoutMs);
    }
  }

  async close(): Promise<void> {
    this.plain.destroy();
    this.secure.destroy();
  }

  /** One request with one timer for its whole life (connect, headers, body); rejects on any failure. */
  private exchange(exchange: HttpRequest, signal: AbortSignal | undefined, timeoutMs: number): Promise<HttpOutcome> {
    const url = new URL(exchange.url);
    const secure = url.protocol === 'https:';
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DeadlineError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const unfollow = signal ? this.follow(signal, deadline) : undefined;
    return new Promise<HttpOutcome>((resolve, reject) => {
      const fail = (error: unknown, reusedSocket: boolean) => {
        const reason = deadline.signal.aborted ? deadline.signal.reason : error;
        if (reason && typeof reason === 'object') Object.assign(reason, { reusedSocket });
        reject(reason);
      };
      const headers = exchange.body === undefined ? exchange.headers : { ...exchange.headers, 'content-length': String(Buffer.byteLength(exchange.body)) };
      const request = (secure ? https : http).request(
        url,
        { method: exchange.method, headers, agent: secure ? this.secure : this.plain, signal: deadline.signal },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_BODY_BYTES) chunks.push(chunk);
            else {
              response.destroy();
              resolve({ ok: false, failure: 'malformed', reason: `body larger than ${MAX_BODY_BYTES} bytes` });
            }
          });
          response.on('end', () =>
            resolve({ ok: true, answer: { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') } }),
          );
          response.on('error', (error) => fail(error, request.reusedSocket));
        },
      );
      request.on('error', (error) => fail(error, request.reusedSocket));
      request.end(exchange.body);
    }).finally(() => {
      clearTimeout(timer);
      unfollow?.();
    });
  }

  /** Aborts `request` with the signal's reason when `signal` aborts; returns the way to stop that. */
  private follow(signal: AbortSignal, request: AbortController): () => void {
    let requests = this.inFlight.get(signal);
    if (!requests) {
      const followed = new Set<AbortController>();
      signal.addEventListener('abort', () => followed.forEach((r) => r.abort(signal.reason)), { once: true });
      this.inFlight.set(signal, followed);
      requests = followed;
    }
    requests.add(request);
    return () => requests.delete(request);
  }

  private classify(error: unknown, timeoutMs: number): HttpOutcome {
    const chain = causeChain(error);
    const codes = chain.map((e) => (e as { code?: unknown }).code).filter((code): code is string => typeof code === 'string');
    if (chain.some((e) => e.name === 'TimeoutError') || codes.some((code) => TIMEOUT_CODES.has(code))) {
      return { ok: false, failure: 'timeout', reason: `no answer within ${timeoutMs} ms` };
    }
    const message = this.redactor.snippet(chain.map((e) => e.message).find((m) => m) ?? String(error), 120);
    if (codes.some((code) => TLS_CODE.test(code))) {
      return { ok: false, failure: 'tls', reason: `TLS verification failed: ${message}` };
    }
    return { ok: false, failure: 'unreachable', reason: message || 'connection failed' };
  }
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT']);
const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_(GET|VERIFY)_|ERR_OSSL_|EPROTO$|HOSTNAME_MISMATCH$)/;

function causeChain(error: unknown): Error[] {
  const chain: Error[] = [];
  let current: unknown = error;
  while (current instanceof Error && !chain.includes(current) && chain.length < 8) {
    chain.push(current);
    current = current.cause;
  }
  return chain;
}
