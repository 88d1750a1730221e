// The public port: GET /health and the WebSocket endpoint /v1/subscribe.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { answerHealth, pathOf } from './health.js';
import { rejectUpgrade, sendError } from './http.js';
import type { InstanceState } from './instance-state.js';

export const SUBSCRIBE_PATH = '/v1/subscribe';

export function publicRequestHandler(state: InstanceState) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = pathOf(req);
    if (path === '/health') return answerHealth(state, req, res);
    if (path === SUBSCRIBE_PATH) return sendError(res, 426, 'WebSocket upgrade required');
    sendError(res, 404, 'not found');
  };
}

export function publicUpgradeHandler(state: InstanceState, wss: WebSocketServer) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (pathOf(req) !== SUBSCRIBE_PATH) return rejectUpgrade(socket, 404, 'not found', state.name);
    const refusal = state.refusalReason();
    if (refusal !== undefined) return rejectUpgrade(socket, 503, refusal, state.name);
    wss.handleUpgrade(req, socket, head, (ws) => state.connections.accept(ws));
  };
}
