import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Sample, SetCookie, StickyClient, StickyClientSpec, StickySampler } from '../ops/ports/index.js';
import { CookieJar } from './cookie-jar.js';
import type { InstanceSource } from './http-sampler.js';
import { parseJson, readNameField } from './json-field.js';
import { SampleTimeout, classifyNetworkError } from './network-error.js';
import { parseSetCookieHeaders } from './set-cookie.js';
import { openUpgrade } from './ws-upgrade.js';

export interface WsSamplerOptions {
  /** ws:// or wss:// URL of the subscribe endpoint, e.g. ws://lb:8080/v1/subscribe. */
  url: string;
  cookies: boolean;
  /** Where the instance is named: a field of the first (`hello`) message, or a header of the 101 answer. */
  instanceFrom: InstanceSource;
  timeoutMs: number;
  /** Verify TLS certificates (default true; false only with --insecure-skip-tls-verify). */
  rejectUnauthorized?: boolean;
  wallNow?: () => number;
}

/** How long a clean close may take once the hello arrived; the peer is then cut off. */
const CLOSE_TIMEOUT_MS = 2_000;
const MAX_ERROR_BODY_BYTES = 16 * 1024;

type Classified = Omit<Sample, 'sentCookies' | 'durationMs' | 'localAddress' | 'localPort' | 'setCookies'>;

/**
 * The StickySampler through WebSocket upgrades: every sample is a new connection (an upgrade
 * cannot be reused), answered by the gateway's first message, then closed with 1000. The upgrade
 * is node:http (ws-upgrade.ts): `ws` belongs to src/probe/.
 */
export function createWsSampler(options: WsSamplerOptions): StickySampler {
  const url = new URL(options.url);
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new TypeError(`not a ws(s) URL: ${options.url}`);
  return {
    describe: () => ({
      url: url.href,
      transport: 'websocket',
      cookies: options.cookies,
      freshConnections: true,
      instanceFrom: options.instanceFrom,
      timeoutMs: options.timeoutMs,
    }),
    openClient: (spec) => new WsStickyClient(url, options, spec),
  };
}

class WsStickyClient implements StickyClient {
  private readonly jar: CookieJar;

  constructor(
    private readonly url: URL,
    private readonly options: WsSamplerOptions,
    private readonly spec: StickyClientSpec,
  ) {
    this.jar = new CookieJar(options.wallNow);
  }

  sample(signal?: AbortSignal): Promise<Sample> {
    signal?.throwIfAborted();
    const started = performance.now();
    const path = this.url.pathname;
    const cookie = this.options.cookies ? this.jar.headerFor(path, this.url.protocol === 'wss:') : { names: [] };
    const headers: Record<string, string> = { 'user-agent': 'conduitctl verify-sticky' };
    if (cookie.header) headers.cookie = cookie.header;

    return new Promise<Sample>((resolve, reject) => {
      let local: { localAddress?: string; localPort?: number; newConnection?: boolean } = {};
      let setCookies: SetCookie[] = [];
      let upgradeResponse: IncomingMessage | undefined;
      let result: Classified | undefined;
      let settled = false;

      const settle = (classified: Classified) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve({
          ...classified,
          setCookies,
          sentCookies: cookie.names,
          ...local,
          durationMs: performance.now() - started,
        });
      };
      const keepCookies = (response: IncomingMessage) => {
        local = { localAddress: response.socket.localAddress, localPort: response.socket.localPort, newConnection: true };
        setCookies = parseSetCookieHeaders(response.headers['set-cookie']);
        if (this.options.cookies) for (const c of setCookies) this.jar.store(c, path);
      };

      const upgrade = openUpgrade(
        { url: this.url, headers, localAddress: this.spec.sourceAddress, rejectUnauthorized: this.options.rejectUnauthorized ?? true, closeTimeoutMs: CLOSE_TIMEOUT_MS },
        {
          upgraded: (response) => {
            upgradeResponse = response;
            keepCookies(response);
          },
          refused: (response) => {
            keepCookies(response);
            readSome(response, (body) => {
              result ??= this.classifyRefusal(response, body);
              settle(result);
              upgrade.terminate();
            });
          },
          // The first verdict is kept; the sample resolves once the connection is really gone.
          message: (text) => {
            result ??= this.classifyHello(text ?? '', upgradeResponse);
            upgrade.close();
          },
          error: (error) => {
            result ??= classifyNetworkError(error);
          },
          closed: (code) => settle(result ?? { outcome: 'unreachable', detail: `closed with ${code} before the first message` }),
        },
      );

      const timer = setTimeout(() => {
        result ??= classifyNetworkError(new SampleTimeout(this.options.timeoutMs));
        settle(result);
        upgrade.terminate();
      }, this.options.timeoutMs);
      const onAbort = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        upgrade.terminate();
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private classifyHello(text: string, response: IncomingMessage | undefined): Classified {
    const from = this.options.instanceFrom;
    if (from.kind === 'header') {
      const value = response?.headers[from.name.toLowerCase()];
      const named = Array.isArray(value) ? value[0] : value;
      return named ? { outcome: 'answered', httpStatus: 101, instance: named } : { outcome: 'missing-instance', httpStatus: 101, detail: `no ${from.name} header on the 101 answer` };
    }
    const json = parseJson(text);
    const named = json.ok ? readNameField(json.value, from.path) : undefined;
    if (named !== undefined) return { outcome: 'answered', httpStatus: 101, instance: named };
    return {
      outcome: 'missing-instance',
      httpStatus: 101,
      detail: json.ok ? `no "${from.path}" field in the first message` : 'the first message is not JSON',
    };
  }

  private classifyRefusal(response: IncomingMessage, body: string): Classified {
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400) {
      const location = response.headers.location;
      return { outcome: 'redirect', httpStatus: status, detail: location ? `Location: ${location}` : 'no Location header' };
    }
    const json = parseJson(body);
    const from = this.options.instanceFrom;
    const reportedInstance =
      from.kind === 'header'
        ? (response.headers[from.name.toLowerCase()] as string | undefined)
        : json.ok
          ? readNameField(json.value, from.path)
          : undefined;
    const reportedStatus = json.ok ? readNameField(json.value, 'status') : undefined;
    return { outcome: 'http-error', httpStatus: status, reportedInstance, reportedStatus, detail: `HTTP ${status} instead of 101` };
  }

  async close(): Promise<void> {}
}

function readSome(response: IncomingMessage, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    done(Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY_BYTES).toString('utf8'));
  };
  response.on('data', (chunk: Buffer) => {
    if (size < MAX_ERROR_BODY_BYTES) chunks.push(chunk);
    size += chunk.length;
  });
  response.on('end', finish);
  response.on('error', finish);
  response.on('close', finish);
}
