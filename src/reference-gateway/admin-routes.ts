// The admin port: health, metrics (JSON and Prometheus), drain / undrain / migrate, and the
// fault switches when they are enabled.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerWithFault, FaultSpecError, parseFaultPatch } from './faults.js';
import { answerHealth, pathOf } from './health.js';
import { BadRequestError, methodNotAllowed, readJsonBody, sendError, sendJson, sendText } from './http.js';
import type { InstanceState } from './instance-state.js';
import { PROMETHEUS_CONTENT_TYPE, renderJsonMetrics, renderPrometheusMetrics } from './metrics.js';
import { parseMigrateRequest } from './migrate.js';

type Route = (state: InstanceState, req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

const ADMIN_PREFIX = '/admin/';

const routes: Record<string, { method: string; route: Route }> = {
  '/v1/metrics': { method: 'GET', route: jsonMetrics },
  '/metrics': { method: 'GET', route: prometheusMetrics },
  '/admin/drain': { method: 'POST', route: drain },
  '/admin/undrain': { method: 'POST', route: undrain },
  '/admin/migrate': { method: 'POST', route: migrate },
};

export function adminRequestHandler(state: InstanceState) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    dispatch(state, req, res).catch((error: unknown) => {
      if (error instanceof BadRequestError || error instanceof FaultSpecError) sendError(res, 400, error.message);
      else if (!res.headersSent) sendError(res, 500, 'internal error');
      else res.destroy();
    });
  };
}

async function dispatch(state: InstanceState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = pathOf(req);
  if (path === '/health') return answerHealth(state, req, res);
  if (path.startsWith(ADMIN_PREFIX) && !state.isAdmin(req.headers)) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    return sendError(res, 401, 'unauthorized');
  }
  if (path === '/_faults' && state.faultsEnabled) return faults(state, req, res);
  const entry = Object.hasOwn(routes, path) ? routes[path] : undefined;
  if (entry === undefined) return sendError(res, 404, 'not found');
  if (req.method !== entry.method) return methodNotAllowed(res, entry.method);
  return entry.route(state, req, res);
}

function jsonMetrics(state: InstanceState, req: IncomingMessage, res: ServerResponse): void {
  answerWithFault(state.faults.metrics, req, res, () =>
    sendText(res, 200, renderJsonMetrics(state.metricsSnapshot(), state.faults.metrics), 'application/json'),
  );
}

function prometheusMetrics(state: InstanceState, req: IncomingMessage, res: ServerResponse): void {
  answerWithFault(state.faults.prometheus, req, res, () =>
    sendText(res, 200, renderPrometheusMetrics(state.metricsSnapshot(), state.faults.prometheus), PROMETHEUS_CONTENT_TYPE),
  );
}

// Drain and undrain take no body; whatever was sent is discarded by node:http.
function drain(state: InstanceState, _req: IncomingMessage, res: ServerResponse): void {
  if (state.faults.drain !== 'ignore') state.draining = true;
  sendJson(res, 202, { status: 'draining', active: state.connections.active });
}

function undrain(state: InstanceState, _req: IncomingMessage, res: ServerResponse): void {
  if (state.shuttingDown) return sendError(res, 409, 'shutting down; a shutdown cannot be undone');
  state.draining = false;
  sendJson(res, 200, { status: 'ok', active: state.connections.active });
}

async function migrate(state: InstanceState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const request = parseMigrateRequest(await readJsonBody(req));
  sendJson(res, 200, state.migrator.migrate(request));
}

async function faults(state: InstanceState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'POST') {
    const patch = parseFaultPatch(await readJsonBody(req));
    state.faults = { ...state.faults, ...patch };
  } else if (req.method !== 'GET') {
    return methodNotAllowed(res, 'GET, POST');
  }
  sendJson(res, 200, state.faults);
}
