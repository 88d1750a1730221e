// HAProxy in front of reference gateways, configured as references 000 and 004 show:
// `balance roundrobin`, `cookie SERVERID insert indirect nocache`, `option httpchk GET /health`.
import { HAPROXY } from './binaries.js';
import { startBalancer, type RunningBalancer } from './process.js';

export interface Backend {
  name: string;
  address: string;
  port: number;
}

export interface HaproxyOptions {
  /** Insert the SERVERID affinity cookie (reference 000/004). Default true. */
  cookie?: boolean;
  /**
   * Health-check interval. HAProxy marks a server DOWN only after `fall` (3) failed checks, so a
   * long interval is the window in which a drained gateway still gets its cookie holders.
   */
  checkInterval?: string;
  /** Extra frontend lines, e.g. a redirect rule. */
  frontendLines?: string[];
}

export type RunningHaproxy = RunningBalancer;

export function haproxyConfig(listen: { host: string; port: number }, backends: readonly Backend[], options: HaproxyOptions = {}): string {
  const cookie = options.cookie ?? true;
  const inter = options.checkInterval ?? '2s';
  return [
    'global',
    '    maxconn 4096',
    '',
    'defaults',
    '    mode http',
    '    timeout connect 5s',
    '    timeout client 30s',
    '    timeout server 30s',
    '    timeout tunnel 1h',
    '',
    'frontend http_front',
    `    bind ${listen.host}:${listen.port}`,
    ...(options.frontendLines ?? []).map((line) => `    ${line}`),
    '    default_backend conduit_ws',
    '',
    'backend conduit_ws',
    '    balance roundrobin',
    ...(cookie ? ['    cookie SERVERID insert indirect nocache'] : []),
    '    option httpchk GET /health',
    '    http-check expect status 200',
    ...backends.map((b, i) => `    server ${b.name} ${b.address}:${b.port} check inter ${inter}${cookie ? ` cookie s${i + 1}` : ''}`),
    '',
  ].join('\n');
}

export async function startHaproxy(backends: readonly Backend[], options: HaproxyOptions = {}): Promise<RunningHaproxy> {
  if (!HAPROXY) throw new Error('haproxy is not installed');
  return startBalancer('haproxy', HAPROXY, 'haproxy.cfg', (_dir, listen) => haproxyConfig(listen, backends, options), (_dir, file) => ['-f', file, '-db']);
}
