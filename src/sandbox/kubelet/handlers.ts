// The kubelet's two kinds of handler: an httpGet against the pod (readiness probes, preStop
// httpGet) and an exec of a command with the container's environment (preStop exec).
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import type { JsonMap } from '../kube-sim/store.js';
import type { Environment } from './container-env.js';

export interface HttpGetAction {
  path?: string;
  port: number | string;
  host?: string;
  scheme?: string;
  httpHeaders?: { name: string; value: string }[];
}

export interface HandlerResult {
  ok: boolean;
  message: string;
}

/** A named port is looked up in the container's ports, as the kubelet does. */
export function resolvePort(port: number | string, container: JsonMap): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const found = ((container.ports ?? []) as JsonMap[]).find((p) => p.name === port);
  return found?.containerPort as number | undefined;
}

/** 200–399 is success, as for a Kubernetes httpGet probe; anything else (or no answer) fails. */
export function httpGet(action: HttpGetAction, container: JsonMap, podIP: string, timeoutMs: number): Promise<HandlerResult> {
  const port = resolvePort(action.port, container);
  if (port === undefined) return Promise.resolve({ ok: false, message: `port "${action.port}" is not a container port` });
  if ((action.scheme ?? 'HTTP').toUpperCase() !== 'HTTP') return Promise.resolve({ ok: false, message: 'only scheme HTTP is simulated' });
  const headers: Record<string, string> = { 'user-agent': 'kube-probe/1.32' };
  for (const h of action.httpHeaders ?? []) headers[h.name] = h.value;
  return new Promise((resolve) => {
    const req = request({ host: action.host || podIP, port, path: action.path || '/', method: 'GET', headers, timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve({ ok: code >= 200 && code < 400, message: `HTTP probe failed with statuscode: ${code}` });
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ ok: false, message: `Get "http://${action.host || podIP}:${port}${action.path || '/'}": ${error.message}` }));
    req.end();
  });
}

/** Runs command (no shell, as Kubernetes does) and kills it at the deadline. */
export function exec(command: readonly string[], env: Environment, timeoutMs: number): Promise<HandlerResult> {
  if (command.length === 0) return Promise.resolve({ ok: false, message: 'empty exec command' });
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command[0]!, command.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-2048);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), Math.max(0, timeoutMs));
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, message: `exec ${command[0]}: ${error.message}` });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const how = signal ? `killed by ${signal}` : `exit code ${code}`;
      resolve({ ok: code === 0, message: `${how}${output.trim() ? `: ${output.trim()}` : ''}` });
    });
  });
}
