import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Sample, SetCookie, StickyClient, StickyClientSpec, StickySampler, StickySamplerDescription } from '../ops/ports/index.js';
import { CookieJar } from './cookie-jar.js';
import { parseJson, readNameField } from './json-field.js';
import { SampleTimeout, classifyNetworkError } from './network-error.js';
import { parseSetCookieHeaders } from './set-cookie.js';

export type InstanceSource = StickySamplerDescription['instanceFrom'];

export interface HttpSamplerOptions {
  /** The full URL to GET, path included (e.g. http://lb:8080/health). */
  url: string;
  /** Keep a cookie jar per client and send its cookies back. */
  cookies: boolean;
  /** One keep-alive connection per client instead of a fresh TCP connection per request. */
  reuseConnections: boolean;
  instanceFrom: InstanceSource;
  timeoutMs: number;
  /** Verify TLS certificates (default true; false only with --insecure-skip-tls-verify). */
  rejectUnauthorized?: boolean;
  /** Wall clock for cookie expiry. */
  wallNow?: () => number;
}

/** Enough of a health body to find the instance; larger bodies are cut, not buffered. */
const MAX_BODY_BYTES = 64 * 1024;

/** The StickySampler over node:http(s): each client a cookie jar and its own connection policy. */
export function createHttpSampler(options: HttpSamplerOptions): StickySampler {
  const url = new URL(options.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${options.url}`);
  return {
    describe: () => ({
      url: url.href,
      transport: 'http',
      cookies: options.cookies,
      freshConnections: !options.reuseConnections,
      instanceFrom: options.instanceFrom,
      timeoutMs: options.timeoutMs,
    }),
    openClient: (spec) => new HttpStickyClient(url, options, spec),
  };
}

class HttpStickyClient implements StickyClient {
  private readonly jar: CookieJar;
  private readonly agent: http.Agent | false;
  private readonly transport: typeof http | typeof https;

  constructor(
    private readonly url: URL,
    private readonly options: HttpSamplerOptions,
    private readonly spec: StickyClientSpec,
  ) {
    this.jar = new CookieJar(options.wallNow);
    this.transport = url.protocol === 'https:' ? https : http;
    // maxSockets 1: a keep-alive client is one browser tab on one connection, as an IP-hash LB sees it.
    this.agent = options.reuseConnections
      ? new this.transport.Agent({ keepAlive: true, maxSockets: 1, localAddress: spec.sourceAddress })
      : false;
  }

  sample(signal?: AbortSignal): Promise<Sample> {
    signal?.throwIfAborted();
    const started = performance.now();
    const path = this.url.pathname;
    const cookie = this.options.cookies ? this.jar.headerFor(path, this.url.protocol === 'https:') : { names: [] };
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'conduitctl verify-sticky' };
    if (cookie.header) headers.cookie = cookie.header;
    if (!this.agent) headers.connection = 'close';

    return new Promise<Sample>((resolve, reject) => {
      let local: { localAddress?: string; localPort?: number; newConnection?: boolean } = {};
      let settled = false;
      const finish = (fields: Omit<Sample, 'sentCookies' | 'durationMs' | 'localAddress' | 'localPort' | 'setCookies'> & { setCookies?: SetCookie[] }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve({
          ...fields,
          setCookies: fields.setCookies ?? [],
          sentCookies: cookie.names,
          ...local,
          durationMs: performance.now() - started,
        });
      };
      const request = this.transport.request(this.url, {
        method: 'GET',
        agent: this.agent,
        headers,
        localAddress: this.spec.sourceAddress,
        rejectUnauthorized: this.options.rejectUnauthorized ?? true,
      });
      const timer = setTimeout(() => request.destroy(new SampleTimeout(this.options.timeoutMs)), this.options.timeoutMs);
      const onAbort = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.destroy();
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });

      request.on('socket', (socket: Socket) => {
        const remember = (newConnection: boolean) => {
          local = { localAddress: socket.localAddress, localPort: socket.localPort, newConnection };
        };
        if (socket.connecting) socket.once('connect', () => remember(true));
        else remember(false);
      });
      request.on('error', (error) => finish(classifyNetworkError(error)));
      request.on('response', (response) => {
        const setCookies = parseSetCookieHeaders(response.headers['set-cookie']);
        if (this.options.cookies) for (const c of setCookies) this.jar.store(c, path);
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('error', (error) => finish({ ...classifyNetworkError(error), httpStatus: response.statusCode, setCookies }));
        response.on('end', () => {
          const body = Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
          finish({ ...this.classify(response, body), setCookies });
        });
      });
      request.end();
    });
  }

  private classify(response: http.IncomingMessage, body: string): Omit<Sample, 'sentCookies' | 'durationMs' | 'setCookies'> {
    const status = response.statusCode ?? 0;
    const from = this.options.instanceFrom;
    const json = parseJson(body);
    const reported = json.ok && from.kind === 'json-field' ? readNameField(json.value, from.path) : undefined;
    const headerValue = from.kind === 'header' ? headerText(response.headers[from.name.toLowerCase()]) : undefined;
    const named = from.kind === 'header' ? headerValue : reported;
    const reportedStatus = json.ok ? readNameField(json.value, 'status') : undefined;

    if (status >= 300 && status < 400) {
      const location = headerText(response.headers.location);
      return { outcome: 'redirect', httpStatus: status, detail: location ? `Location: ${location}` : 'no Location header' };
    }
    if (status < 200 || status >= 300) {
      return { outcome: 'http-error', httpStatus: status, reportedInstance: named, reportedStatus, detail: `HTTP ${status}` };
    }
    if (named !== undefined) return { outcome: 'answered', httpStatus: status, instance: named };
    const detail =
      from.kind === 'header'
        ? `no ${from.name} header`
        : !json.ok
          ? 'the body is not JSON'
          : `no "${from.path}" field in the body`;
    return { outcome: 'missing-instance', httpStatus: status, reportedStatus, detail };
  }

  async close(): Promise<void> {
    if (this.agent) this.agent.destroy();
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}
