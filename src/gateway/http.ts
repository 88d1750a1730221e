// One HTTP exchange with a gateway (or the API server's pods/proxy) over a shared keep-alive
// agent, bounded by the per-request timeout. Failures come back as values with a failure kind;
// only the caller's own abort is thrown, so an interrupted run stops instead of reading "unknown".

import { createSecureContext, type ConnectionOptions } from 'node:tls';
import { Agent, request } from 'undici';
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

export class GatewayHttp {
  private readonly agent: Agent;

  constructor(
    private readonly options: AgentOptions,
    private readonly redactor: Redactor,
  ) {
    this.agent = new Agent({
      connections: options.connectionsPerOrigin,
      keepAliveTimeout: 4_000,
      keepAliveMaxTimeout: 60_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: options.timeoutMs, ...connectTls(options.tls) },
    });
  }

  /** `timeoutMs` (default: the agent's) bounds this one exchange: connect, headers and body. */
  async send(exchange: HttpRequest, signal?: AbortSignal, timeoutMs = this.options.timeoutMs): Promise<HttpOutcome> {
    signal?.throwIfAborted();
    if (timeoutMs <= 0) return { ok: false, failure: 'timeout', reason: 'no time left before the deadline' };
    const deadline = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    try {
      const response = await request(exchange.url, {
        dispatcher: this.agent,
        method: exchange.method,
        headers: exchange.headers,
        body: exchange.body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: combined,
      });
      const body = await readBounded(response.body);
      if (body === undefined) {
        return { ok: false, failure: 'malformed', reason: `body larger than ${MAX_BODY_BYTES} bytes` };
      }
      return { ok: true, answer: { status: response.statusCode, headers: response.headers, body } };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      return this.classify(error, timeoutMs);
    }
  }

  async close(): Promise<void> {
    await this.agent.destroy();
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

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
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

async function readBounded(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
