// kube-sim: an HTTPS server speaking the subset of the Kubernetes API that conduitctl and kubectl
// use, over an in-memory store that controllers (src/sandbox/) drive.
//
//   const sim = await startKubeSim();
//   await sim.writeKubeconfig('/tmp/kc', { namespace: 'demo' });
//   seedNamespace(sim.store, 'demo');
//   sim.controls.addFault({ resource: 'pods/eviction', status: 429, retryAfterHeader: 10, times: 1 });
//   …
//   await sim.close();

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { join } from 'node:path';
import { Authorizer } from './authz.js';
import { KubeSimControls, serveControl } from './control.js';
import { startDisruptionController } from './disruption.js';
import { FaultInjector } from './faults.js';
import { renderKubeconfig, writeKubeconfigFile, type KubeconfigOptions } from './kubeconfig.js';
import { RequestLog, type RequestLogEntry } from './request-log.js';
import { seedNamespace } from './seed.js';
import { createApiHandlers } from './server.js';
import { KubeStore } from './store.js';
import { servingCredentials } from './tls.js';

export interface KubeSimOptions {
  /** Listen address of the API (default 127.0.0.1). */
  host?: string;
  /** API port (default 0: any free port). */
  port?: number;
  /** Where the CA, serving cert and token are kept across restarts (default: fresh each start). */
  stateDir?: string;
  /** Bearer token clients must send (default: from stateDir, else random). */
  token?: string;
  /** Control listener port on the same loopback host (default 0). */
  controlPort?: number;
  /** Extra names/IPs for the serving certificate. */
  extraSans?: string[];
  /** User name in Forbidden messages (default "conduit-sandbox"). */
  userName?: string;
  /** How often watches with allowWatchBookmarks get a BOOKMARK (default 10 s). */
  bookmarkIntervalMs?: number;
  /** Past events a watch can resume from (default 5000). */
  historyLimit?: number;
}

export interface KubeSim {
  /** https://host:port */
  url: string;
  caPem: string;
  token: string;
  store: KubeStore;
  controls: KubeSimControls;
  /** http://127.0.0.1:port of the control listener. */
  controlUrl: string;
  kubeconfig(options?: KubeconfigOptions): string;
  writeKubeconfig(path: string, options?: KubeconfigOptions): Promise<void>;
  requestLog(): RequestLogEntry[];
  close(): Promise<void>;
}

async function resolveToken(options: KubeSimOptions): Promise<string> {
  if (options.token) return options.token;
  if (!options.stateDir) return randomBytes(24).toString('hex');
  const file = join(options.stateDir, 'token');
  try {
    const saved = (await readFile(file, 'utf8')).trim();
    if (saved) return saved;
  } catch {
    // first start with this state dir
  }
  const token = randomBytes(24).toString('hex');
  await writeFile(file, token + '\n', { mode: 0o600 });
  return token;
}

function closeServer(server: Server | HttpServer, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const socket of sockets) socket.destroy();
  });
}

function trackSockets(server: Server | HttpServer): Set<Socket> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  server.on('connection', track);
  return sockets;
}

export async function startKubeSim(options: KubeSimOptions = {}): Promise<KubeSim> {
  const host = options.host ?? '127.0.0.1';
  if (options.stateDir) await mkdir(options.stateDir, { recursive: true, mode: 0o700 });
  const token = await resolveToken(options);
  const credentials = await servingCredentials([host, '127.0.0.1', 'localhost', ...(options.extraSans ?? [])], options.stateDir);

  const store = new KubeStore({ ...(options.historyLimit ? { historyLimit: options.historyLimit } : {}) });
  seedNamespace(store, 'default');
  const stopDisruption = startDisruptionController(store);
  const faults = new FaultInjector();
  const authorizer = new Authorizer(options.userName ?? 'conduit-sandbox');
  const log = new RequestLog();
  const controls = new KubeSimControls(store, faults, authorizer, log);

  let url = '';
  const handlers = createApiHandlers({
    store,
    authorizer,
    faults,
    log,
    token,
    serverAddress: () => url.replace(/^https:\/\//, ''),
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000,
  });
  const api = createServer({ key: credentials.keyPem, cert: credentials.certPem }, (req, res) => void handlers.onRequest(req, res));
  api.on('upgrade', (req, socket, head) => void handlers.onUpgrade(req, socket as Socket, head));
  const apiSockets = trackSockets(api);
  await new Promise<void>((resolve, reject) => {
    api.once('error', reject);
    api.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (api.address() as AddressInfo).port;
  url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const control = await serveControl(controls, host.startsWith('127.') || host === '::1' ? host : '127.0.0.1', options.controlPort ?? 0);
  const controlSockets = trackSockets(control.server);

  return {
    url,
    caPem: credentials.caPem,
    token,
    store,
    controls,
    controlUrl: control.url,
    kubeconfig: (kc) => renderKubeconfig(url, credentials.caPem, token, kc),
    writeKubeconfig: (path, kc) => writeKubeconfigFile(path, renderKubeconfig(url, credentials.caPem, token, kc)),
    requestLog: () => log.list(),
    close: async () => {
      stopDisruption();
      await Promise.all([closeServer(api, apiSockets), closeServer(control.server, controlSockets)]);
    },
  };
}

export { KubeStore } from './store.js';
export type { KubeObject, ObjectMeta, OwnerReference, StoreEvent, StoreListener, ListSelector, DeleteOptions, WriteOptions, WriteScope } from './store.js';
export { ApiError } from './status.js';
export type { StatusBody } from './status.js';
export { KubeSimControls } from './control.js';
export type { FaultSpec, Fault } from './faults.js';
export type { DenyRule } from './authz.js';
export type { RequestLogEntry } from './request-log.js';
export { isMutating } from './request-log.js';
export { seedNamespace } from './seed.js';
export { computeBudget, isHealthy } from './disruption.js';
export { formatLabelSelector, matchesLabels, requirementsFromSpec, parseLabelSelector } from './selectors.js';
export type { LabelSelectorSpec } from './selectors.js';
export type { KubeconfigOptions } from './kubeconfig.js';
