// JSON over HTTPS to the API server, with the kubeconfig's TLS and credentials, on one keep-alive
// agent. client-node's KubeConfig still decides both (contexts, client certificates, exec plugins,
// OIDC, token files, proxies); its generated API is not loaded: it is ~4 MB of code per process
// start for the ~16 requests the adapter makes (issue 11).

import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { traceCall, type RequestExtras } from './request-trace.js';

/** An answer outside 2xx: what readApiFailure (errors.ts) reads. */
export class KubeHttpError extends Error {
  constructor(
    readonly code: number,
    readonly body: string,
    readonly headers: Record<string, string>,
  ) {
    super(`HTTP ${code}`);
    this.name = 'KubeHttpError';
  }
}

export interface RestRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `/api/v1/namespaces/prod/pods`: segments already encoded. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** Default application/json; a merge patch says so. */
  contentType?: string;
  signal: AbortSignal;
}

/** Concurrent requests to the API server (access reviews go out together); more wait for a socket. */
const MAX_SOCKETS = 16;
/** Lists of a few hundred pods are ~1 MB; anything far larger is not an answer we asked for. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

type TlsMaterial = Pick<https.RequestOptions, 'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'rejectUnauthorized' | 'servername'>;

interface Credentials {
  agent: http.Agent;
  headers: Record<string, string>;
}

/**
 * A request that got no answer is a network failure whatever raised it: a proxy agent's errors
 * (SOCKS) carry no code, so they get ENETWORK and keep the original as the cause.
 */
function networkError(error: Error, reusedSocket: boolean): Error {
  const code = (error as { code?: unknown }).code;
  const failure = typeof code === 'string' ? error : Object.assign(new Error(error.message, { cause: error }), { code: 'ENETWORK' });
  return Object.assign(failure, { reusedSocket });
}

function flatHeaders(headers: http.OutgoingHttpHeaders | http.IncomingHttpHeaders | readonly string[] | undefined): Record<string, string> {
  const flat: Record<string, string> = {};
  if (!headers || Array.isArray(headers)) return flat;
  for (const [name, value] of Object.entries(headers as http.OutgoingHttpHeaders)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return flat;
}

function sameMaterial(a: TlsMaterial, b: TlsMaterial): boolean {
  const same = (x: unknown, y: unknown) => (Buffer.isBuffer(x) && Buffer.isBuffer(y) ? x.equals(y) : x === y);
  return (['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const).every((k) => same(a[k], b[k]));
}

export class KubeRest {
  private agent: http.Agent | undefined;
  private material: TlsMaterial | undefined;

  constructor(
    private readonly kc: KubeConfig,
    private readonly server: string,
    /** Impersonation headers and the -v=6/8 trace. */
    private readonly extras: RequestExtras = {},
  ) {}

  async request<T>(request: RestRequest): Promise<T> {
    try {
      return await this.once<T>(request);
    } catch (error) {
      // A kept-alive socket the server closed just as we reused it: a read never reached it.
      const reset = (error as { code?: string }).code === 'ECONNRESET' && (error as { reusedSocket?: boolean }).reusedSocket;
      if (request.method !== 'GET' || !reset || request.signal.aborted) throw error;
      return this.once<T>(request);
    }
  }

  private async once<T>(request: RestRequest): Promise<T> {
    const { agent, headers } = await this.credentials();
    const url = new URL(this.server.replace(/\/+$/, '') + request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const send = url.protocol === 'http:' ? http.request : https.request;
    const trace = traceCall(this.extras, request.method, url.toString(), body);
    return new Promise<T>((resolve, reject) => {
      const req = send(
        url,
        {
          method: request.method,
          agent,
          signal: request.signal,
          headers: {
            ...headers,
            ...this.extras.headers,
            Accept: 'application/json',
            'User-Agent': 'conduitctl',
            ...(body !== undefined ? { 'Content-Type': request.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(body) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) req.destroy(new Error(`answer larger than ${MAX_BODY_BYTES} bytes`));
            else chunks.push(chunk);
          });
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            trace?.done(status);
            if (status < 200 || status > 299) return reject(new KubeHttpError(status, text, flatHeaders(res.headers)));
            try {
              resolve((text ? JSON.parse(text) : {}) as T);
            } catch {
              reject(new KubeHttpError(status, `not JSON: ${text.slice(0, 200)}`, flatHeaders(res.headers)));
            }
          });
        },
      );
      req.on('error', (error) => {
        trace?.done((error as { code?: string }).code ?? 'failed');
        reject(networkError(error, req.reusedSocket));
      });
      req.end(body);
    });
  }

  /** Sockets kept alive for the run are closed; a later request would open new ones. */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }

  /**
   * Asked of the KubeConfig before every request, as client-node's own API does: an exec plugin's
   * or OIDC token is refreshed when it expires. The keep-alive agent is reused while the TLS
   * material stays the same (an exec plugin may hand out a new client certificate).
   */
  private async credentials(): Promise<Credentials> {
    const options: https.RequestOptions = {};
    await this.kc.applyToHTTPSOptions(options);
    const headers = flatHeaders(options.headers);
    if (options.auth) headers.Authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
    // A proxy-url: client-node's own proxy agent (SOCKS or HTTP CONNECT) is the only one that speaks it.
    if (this.kc.getCurrentCluster()?.proxyUrl) return { agent: options.agent as http.Agent, headers };
    const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = options;
    const material: TlsMaterial = { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername };
    if (!this.agent || !this.material || !sameMaterial(this.material, material)) {
      this.agent?.destroy();
      const defined = Object.fromEntries(Object.entries(material).filter(([, v]) => v !== undefined));
      this.agent = this.server.startsWith('http:')
        ? new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS })
        : new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, ...defined });
      this.material = material;
    }
    return { agent: this.agent, headers };
  }
}
