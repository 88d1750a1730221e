// Small helpers for reading requests and writing API responses.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeObject, PROTOBUF_CONTENT_TYPE } from './protobuf.js';
import { ApiError, badRequest, type StatusBody } from './status.js';

const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'BadRequest', 'Request entity too large: limit is 3145728');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The request body as JSON: JSON as sent, or the protobuf messages kubectl's typed clients send. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  if ((req.headers['content-type'] ?? '').startsWith(PROTOBUF_CONTENT_TYPE)) {
    const body = await readBody(req);
    return body.length === 0 ? undefined : decodeObject(body);
  }
  const raw = (await readBody(req)).toString('utf8');
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw badRequest(`error decoding request body: ${(error as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendStatus(res: ServerResponse, status: StatusBody, headers: Record<string, string> = {}): void {
  sendJson(res, status.code, status, headers);
}

export function sendError(res: ServerResponse, error: unknown): void {
  const apiError = error instanceof ApiError ? error : new ApiError(500, 'InternalError', `Internal error occurred: ${(error as Error)?.message ?? String(error)}`);
  const headers: Record<string, string> = {};
  if (apiError.details?.retryAfterSeconds !== undefined) headers['Retry-After'] = String(apiError.details.retryAfterSeconds);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendStatus(res, apiError.toStatus(), headers);
}
