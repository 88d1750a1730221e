// The two metrics representations of the admin contract: JSON (`GET /v1/metrics`) and
// Prometheus text 0.0.4 (`GET /metrics`). Body-shaping faults (garbage, odd or missing
// `active`) are applied here; response-level faults (hang, 500, …) are the caller's job.
import type { MetricsFault } from './faults.js';

export interface MetricsSnapshot {
  instance: string;
  bootId: string;
  draining: boolean;
  active: number;
  total: number;
  migrated: number;
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function renderJsonMetrics(snapshot: MetricsSnapshot, fault: MetricsFault | null): string {
  if (fault === 'garbage') return `{"instance":${JSON.stringify(snapshot.instance)},"ws":{"connecti`;
  const connections: Record<string, unknown> = {
    active: snapshot.active,
    total: snapshot.total,
    migrated: snapshot.migrated,
  };
  if (isObjectFault(fault)) {
    if ('active' in fault) connections.active = fault.active;
    else delete connections.active;
  }
  return JSON.stringify({ instance: snapshot.instance, bootId: snapshot.bootId, draining: snapshot.draining, ws: { connections } });
}

export function renderPrometheusMetrics(snapshot: MetricsSnapshot, fault: MetricsFault | null): string {
  if (fault === 'garbage') return '<html><body>502 Bad Gateway</body></html>\nconduit_ws_connections_active{ oops\n';
  let active: string | undefined = String(snapshot.active);
  if (isObjectFault(fault)) active = 'active' in fault ? prometheusValue(fault.active) : undefined;
  const lines: string[] = [];
  if (active !== undefined) {
    metric(lines, 'conduit_ws_connections_active', 'gauge', 'WebSocket connections open or closing.', active);
  }
  metric(lines, 'conduit_ws_connections_total', 'counter', 'WebSocket connections accepted since start.', String(snapshot.total));
  metric(lines, 'conduit_ws_migrated_total', 'counter', 'WebSocket connections told to migrate since start.', String(snapshot.migrated));
  metric(lines, 'conduit_draining', 'gauge', '1 while the instance refuses new connections.', snapshot.draining ? '1' : '0');
  return lines.join('\n') + '\n';
}

function metric(lines: string[], name: string, type: string, help: string, value: string): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
}

/** Numbers as Prometheus writes them; anything else verbatim as JSON so a client sees a wrong type. */
function prometheusValue(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value) ?? 'undefined';
}

function isObjectFault(fault: MetricsFault | null): fault is { active: unknown } | { omitActive: true } {
  return typeof fault === 'object' && fault !== null;
}
