// GET /health, served on both ports: 200 "ok" or 503 "draining" (so load balancers and
// readiness probes take a draining instance out of rotation), with the connection count.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerWithFault } from './faults.js';
import { methodNotAllowed, sendJson } from './http.js';
import type { InstanceState } from './instance-state.js';

export function answerHealth(state: InstanceState, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
  answerWithFault(state.faults.health, req, res, () => {
    const connections = state.connections.active;
    if (state.draining) sendJson(res, 503, { status: 'draining', instance: state.name, connections });
    else sendJson(res, 200, { status: 'ok', instance: state.name, connections });
  });
}

export function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
