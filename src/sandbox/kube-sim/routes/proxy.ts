// pods/{name}[:port]/proxy/{path}: forwards any method, the query string, the body and WebSocket
// upgrades to the pod's IP, and streams the answer back. Like the API server, it consumes the
// caller's Authorization header (it authenticated the caller) instead of forwarding it.

import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import type { ResourceRequest } from '../request-info.js';
import { ApiError, badRequest } from '../status.js';
import type { KubeObject, KubeStore } from '../store.js';
import { sendStatus } from '../http.js';
import type { RouteContext } from './context.js';

export interface ProxyTarget {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** Path (with leading slash) and query to send upstream. */
  path: string;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'authorization']);

/** `name`, `name:port` or `scheme:name:port` (the API server's SplitSchemeNamePort). */
function splitSchemeNamePort(id: string): { scheme: 'http' | 'https'; name: string; port: string } {
  const parts = id.split(':');
  if (parts.length === 1) return { scheme: 'http', name: parts[0]!, port: '' };
  if (parts.length === 2) return { scheme: 'http', name: parts[0]!, port: parts[1]! };
  if (parts.length === 3 && (parts[0] === 'http' || parts[0] === 'https' || parts[0] === '')) {
    return { scheme: parts[0] === 'https' ? 'https' : 'http', name: parts[1]!, port: parts[2]! };
  }
  throw badRequest(`invalid request "${id}"`);
}

type Container = { ports?: { containerPort: number; name?: string }[] };

export function resolvePodTarget(store: KubeStore, info: ResourceRequest, search: string): ProxyTarget {
  const { scheme, name, port } = splitSchemeNamePort(info.name ?? '');
  return store.read('Pod', info.namespace, name, (pod) => podTarget(pod, scheme, name, port, `/${info.proxyPath}${search}`));
}

function podTarget(pod: Readonly<KubeObject>, scheme: ProxyTarget['scheme'], name: string, port: string, path: string): ProxyTarget {
  const containers = (pod.spec?.containers ?? []) as Container[];
  let resolved = port;
  if (resolved === '') resolved = String(containers.find((c) => c.ports?.length)?.ports?.[0]?.containerPort ?? 80);
  if (!/^\d+$/.test(resolved)) {
    const named = containers.flatMap((c) => c.ports ?? []).find((p) => p.name === resolved);
    if (!named) throw badRequest(`pod ${name} has no port named "${resolved}"`);
    resolved = String(named.containerPort);
  }
  const host = pod.status?.podIP as string | undefined;
  if (!host) throw new ApiError(503, 'ServiceUnavailable', `pod ${name} does not have an IP address assigned`);
  return { scheme, host, port: Number(resolved), path };
}

function forwardedHeaders(headers: IncomingHttpHeaders, remoteAddress: string | undefined, target: ProxyTarget): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(key)) result[key] = value;
  }
  result.host = `${target.host}:${target.port}`;
  if (remoteAddress) result['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${remoteAddress}` : remoteAddress;
  return result;
}

function unreachable(error: Error): ApiError {
  return new ApiError(503, 'ServiceUnavailable', `error trying to reach service: ${error.message}`);
}

export function serveProxy(ctx: RouteContext): Promise<void> {
  const { req, res } = ctx;
  const target = resolvePodTarget(ctx.store, ctx.info, ctx.url.search);
  return new Promise((resolve) => {
    const send = target.scheme === 'https' ? httpsRequest : httpRequest;
    const upstream = send({
      host: target.host,
      port: target.port,
      method: req.method,
      path: target.path,
      headers: forwardedHeaders(req.headers, req.socket.remoteAddress, target),
      rejectUnauthorized: false,
    });
    upstream.on('response', (answer) => {
      const headers: Record<string, string | string[]> = {};
      for (const [key, value] of Object.entries(answer.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(key)) headers[key] = value;
      }
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
      answer.on('end', resolve);
      answer.on('error', () => {
        res.destroy();
        resolve();
      });
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) sendStatus(res, unreachable(error).toStatus());
      else res.destroy();
      resolve();
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
      resolve();
    });
    req.pipe(upstream);
  });
}

/** Forwards an Upgrade request (WebSocket) to the pod, then splices the two sockets together. */
export function proxyUpgrade(store: KubeStore, info: ResourceRequest, search: string, req: IncomingMessage, client: Duplex, head: Buffer): void {
  const target = resolvePodTarget(store, info, search);
  const upstream: Socket =
    target.scheme === 'https'
      ? tlsConnect({ host: target.host, port: target.port, rejectUnauthorized: false })
      : netConnect({ host: target.host, port: target.port });
  const headerLines: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const key = req.rawHeaders[i]!;
    if (['host', 'authorization'].includes(key.toLowerCase())) continue;
    headerLines.push(`${key}: ${req.rawHeaders[i + 1]}`);
  }
  headerLines.push(`Host: ${target.host}:${target.port}`);
  upstream.once(target.scheme === 'https' ? 'secureConnect' : 'connect', () => {
    upstream.write(`${req.method} ${target.path} HTTP/1.1\r\n${headerLines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', (error) => {
    if (client.writable && !(client as Socket).bytesWritten) {
      const body = JSON.stringify(unreachable(error).toStatus());
      client.end(`HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    } else client.destroy();
  });
  client.on('error', () => upstream.destroy());
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
}
