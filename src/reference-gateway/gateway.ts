// One gateway instance: a public server (health + WebSocket) and an admin server, both on the
// same address, sharing one InstanceState.
import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { adminRequestHandler } from './admin-routes.js';
import type { FaultPatch } from './faults.js';
import { INSTANCE_HEADER } from './http.js';
import { InstanceState } from './instance-state.js';
import { publicRequestHandler, publicUpgradeHandler } from './public-routes.js';

export interface GatewayOptions {
  name?: string;
  bind?: string;
  port?: number;
  adminPort?: number;
  /** Interval of the `tick` messages; 0 disables them. */
  tickMs?: number;
  /** Upgrades beyond this many connections are refused with 503; 0 = unlimited. */
  maxConnections?: number;
  /** How long a server-initiated close waits for the peer's close frame before terminating. */
  closeTimeoutMs?: number;
  /** How long shutdown() waits for clients to leave before notifying and closing the rest. */
  shutdownDeadlineMs?: number;
  adminToken?: string;
  enableFaults?: boolean;
  faults?: FaultPatch;
}

export const GATEWAY_DEFAULTS = {
  name: 'conduit-0',
  bind: '127.0.0.1',
  port: 9088,
  adminPort: 9087,
  tickMs: 1000,
  maxConnections: 0,
  closeTimeoutMs: 2000,
  shutdownDeadlineMs: 30_000,
} as const;

export interface ShutdownOptions {
  /** Overrides the instance's shutdownDeadlineMs for this shutdown. */
  deadlineMs?: number;
}

export interface GatewayHandle {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly adminPort: number;
  activeConnections(): number;
  isDraining(): boolean;
  /** Stop accepting WebSockets and report draining, as POST /admin/drain does. */
  drain(): void;
  undrain(): void;
  /** Changes fault switches in-process, as POST /_faults does; requires enableFaults. */
  setFaults(patch: FaultPatch): void;
  /** Graceful, as on SIGTERM: drain, wait for clients up to the deadline, notify and close the rest. */
  shutdown(options?: ShutdownOptions): Promise<void>;
  /** Abrupt, as on SIGKILL: sockets are destroyed without a notice (clients see 1006). */
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions = {}): Promise<GatewayHandle> {
  const settings = { ...GATEWAY_DEFAULTS, ...withoutUndefined(options) };
  const state = new InstanceState({
    name: settings.name,
    tickMs: settings.tickMs,
    maxConnections: settings.maxConnections,
    closeTimeoutMs: settings.closeTimeoutMs,
    adminToken: options.adminToken,
    enableFaults: options.enableFaults ?? false,
    faults: options.faults ?? {},
  });

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false, maxPayload: 1 << 20 });
  wss.on('headers', (headers) => headers.push(`${INSTANCE_HEADER}: ${state.name}`));
  const publicServer = createServer(tagged(state.name, publicRequestHandler(state)));
  publicServer.on('upgrade', publicUpgradeHandler(state, wss));
  const adminServer = createServer(tagged(state.name, adminRequestHandler(state)));

  const closeServers = onlyOnce(() => Promise.all([stopServer(publicServer), stopServer(adminServer)]).then(() => {}));
  let publicAddress: AddressInfo;
  let adminAddress: AddressInfo;
  try {
    publicAddress = await listen(publicServer, settings.port, settings.bind);
    adminAddress = await listen(adminServer, settings.adminPort, settings.bind);
  } catch (error) {
    await closeServers();
    throw error;
  }

  const shutdown = onlyOnce(async (deadlineMs: number) => {
    state.shuttingDown = true;
    state.draining = true;
    await waitAtMost(state.connections.whenEmpty(), deadlineMs);
    state.connections.shutDownAll();
    await state.connections.whenEmpty();
    await closeServers();
  });

  return {
    name: state.name,
    address: publicAddress.address,
    port: publicAddress.port,
    adminPort: adminAddress.port,
    activeConnections: () => state.connections.active,
    isDraining: () => state.draining,
    drain: () => {
      state.draining = true;
    },
    undrain: () => {
      if (!state.shuttingDown) state.draining = false;
    },
    setFaults: (patch) => {
      if (!state.faultsEnabled) throw new Error(`${state.name}: faults are disabled (start with enableFaults: true)`);
      state.faults = { ...state.faults, ...patch };
    },
    shutdown: (shutdownOptions = {}) => shutdown(shutdownOptions.deadlineMs ?? settings.shutdownDeadlineMs),
    close: async () => {
      state.shuttingDown = true;
      state.draining = true;
      state.connections.terminateAll();
      await state.connections.whenEmpty();
      await closeServers();
    },
  };
}

function tagged(instance: string, handler: RequestListener): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader(INSTANCE_HEADER, instance);
    handler(req, res);
  };
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function stopServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Idle keep-alive sockets and requests parked by a "hang" fault must not hold the close.
    server.closeAllConnections();
  });
}

function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Runs `fn` on the first call only; later calls get the first call's promise. */
function onlyOnce<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  let result: Promise<void> | undefined;
  return (...args) => (result ??= fn(...args));
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
