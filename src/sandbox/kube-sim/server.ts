// The API request pipeline: authenticate → parse → injected faults → authorize → route → log.

import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Authorizer } from './authz.js';
import { coreVersions, groupDocument, groupList, resourceList, SERVER_VERSION } from './discovery.js';
import type { FaultInjector } from './faults.js';
import { sendError, sendJson, sendStatus } from './http.js';
import { openApiV3 } from './openapi/documents.js';
import type { RequestLog } from './request-log.js';
import { requestInfo, type RequestInfo, type ResourceRequest } from './request-info.js';
import type { RouteContext } from './routes/context.js';
import { serveAccessReview } from './routes/access-review.js';
import { serveEviction } from './routes/eviction.js';
import { serveObjects } from './routes/objects.js';
import { proxyUpgrade, serveProxy } from './routes/proxy.js';
import { serveScale } from './routes/scale.js';
import { ApiError, methodNotAllowed, unauthorized } from './status.js';
import type { KubeStore } from './store.js';

export interface ApiServerParts {
  store: KubeStore;
  authorizer: Authorizer;
  faults: FaultInjector;
  log: RequestLog;
  token: string;
  /** host:port clients use, for /api's serverAddressByClientCIDRs. */
  serverAddress: () => string;
  bookmarkIntervalMs: number;
}

const HEALTH_PATHS = new Set(['/healthz', '/livez', '/readyz']);

function notFoundResource(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {
    causes: [{ reason: 'UnexpectedServerResponse', message: '404 page not found' }],
  });
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function serveNonResource(parts: ApiServerParts, res: ServerResponse, method: string, segments: string[]): void {
  if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed();
  const [first, second, third] = segments;
  if (first === 'openapi' && second === 'v3') {
    const text = openApiV3(segments.slice(2));
    if (text === undefined) throw notFoundResource();
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(text) }).end(text);
    return;
  }
  let body: object | undefined;
  if (first === 'version' && segments.length === 1) body = SERVER_VERSION;
  else if (first === 'api' && segments.length === 1) body = coreVersions(parts.serverAddress());
  else if (first === 'api' && segments.length === 2) body = resourceList('', second!);
  else if (first === 'apis' && segments.length === 1) body = groupList();
  else if (first === 'apis' && segments.length === 2) body = groupDocument(second!);
  else if (first === 'apis' && segments.length === 3) body = resourceList(second!, third!);
  if (!body) throw notFoundResource();
  sendJson(res, 200, body);
}

async function serveResource(ctx: RouteContext): Promise<void> {
  const { info } = ctx;
  if (info.group === 'authorization.k8s.io' && info.version === 'v1' && info.resource === 'selfsubjectaccessreviews') return serveAccessReview(ctx);
  const type = info.type;
  if (!type || (info.subresource !== undefined && !type.subresources.includes(info.subresource))) throw notFoundResource();
  if (type.kind === 'Pod' && info.subresource === 'eviction') return serveEviction(ctx);
  if (type.kind === 'Pod' && info.subresource === 'proxy') return serveProxy(ctx);
  if (info.subresource === 'scale') return serveScale(ctx, type);
  if (info.subresource === 'proxy') throw notFoundResource();
  return serveObjects(ctx, type);
}

/** SelfSubjectAccessReview is always allowed, as system:basic-user grants it on a real cluster. */
function authorize(parts: ApiServerParts, info: RequestInfo): void {
  if (info.isResource && info.resource !== 'selfsubjectaccessreviews') parts.authorizer.check(info);
}

export function createApiHandlers(parts: ApiServerParts) {
  function logRequest(req: IncomingMessage, url: URL, info: RequestInfo | undefined, status: number): void {
    parts.log.add({
      time: new Date().toISOString(),
      method: req.method ?? '',
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      contentType: req.headers['content-type'],
      userAgent: req.headers['user-agent'],
      status,
      verb: info?.verb,
      resource: info?.isResource ? info.resource : undefined,
      subresource: info?.isResource ? info.subresource : undefined,
    });
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'https://kube-sim.invalid');
    let info: RequestInfo | undefined;
    res.once('close', () => logRequest(req, url, info, res.headersSent ? res.statusCode : 0));
    try {
      if (HEALTH_PATHS.has(url.pathname)) {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('ok');
        return;
      }
      if (!tokenMatches(req.headers.authorization, parts.token)) throw unauthorized();
      info = requestInfo(method, url.pathname, url.searchParams);
      const action = parts.faults.take(method, url.pathname, info);
      if (action.latencyMs > 0) await sleep(action.latencyMs);
      if (action.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (action.kind === 'respond') {
        sendStatus(res, action.status, action.headers);
        return;
      }
      authorize(parts, info);
      if (!info.isResource) return serveNonResource(parts, res, method, info.segments);
      await serveResource({ req, res, url, info, store: parts.store, authorizer: parts.authorizer, bookmarkIntervalMs: parts.bookmarkIntervalMs });
    } catch (error) {
      sendError(res, error);
    }
  }

  function rejectUpgrade(socket: Duplex, error: unknown): void {
    const apiError = error instanceof ApiError ? error : new ApiError(500, 'InternalError', String(error));
    const body = JSON.stringify(apiError.toStatus());
    socket.end(`HTTP/1.1 ${apiError.code} ${apiError.reason || 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }

  /** WebSocket (or other Upgrade) requests: only pods/proxy forwards them. */
  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'https://kube-sim.invalid');
    let info: RequestInfo | undefined;
    try {
      if (!tokenMatches(req.headers.authorization, parts.token)) throw unauthorized();
      info = requestInfo(method, url.pathname, url.searchParams);
      const action = parts.faults.take(method, url.pathname, info);
      if (action.latencyMs > 0) await sleep(action.latencyMs);
      if (action.kind === 'reset') {
        socket.destroy();
        logRequest(req, url, info, 0);
        return;
      }
      if (action.kind === 'respond') throw new ApiError(action.status.code, action.status.reason ?? '', action.status.message ?? '', action.status.details);
      authorize(parts, info);
      if (!info.isResource || info.resource !== 'pods' || info.subresource !== 'proxy') throw notFoundResource();
      proxyUpgrade(parts.store, info as ResourceRequest, url.search, req, socket, head);
      logRequest(req, url, info, 101);
    } catch (error) {
      rejectUpgrade(socket, error);
      logRequest(req, url, info, error instanceof ApiError ? error.code : 500);
    }
  }

  return { onRequest, onUpgrade };
}
