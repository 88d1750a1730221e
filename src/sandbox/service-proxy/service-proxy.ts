// The service proxy ("kube-proxy"): each ClusterIP Service gets a loopback cluster IP (written to
// spec.clusterIP when unset) and one TCP listener per service port there, forwarding every
// connection to a Ready endpoint from the Service's Endpoints object.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { JsonMap, KubeObject, KubeStore, StoreEvent } from '../kube-sim/store.js';
import { createIpPool, type IpPool } from '../kubelet/ip-pool.js';
import { BackendPicker, type Backend } from './backends.js';

export interface ServiceProxyOptions {
  /** Loopback range for cluster IPs, e.g. 127.0.101.0/24. */
  serviceCidr: string;
  log?: (message: string) => void;
}

export interface ServiceAddress {
  namespace: string;
  name: string;
  clusterIP: string;
  ports: { name?: string; port: number }[];
}

export interface ServiceProxy {
  /** A Service's cluster IP and ports once its listeners are up. */
  address(namespace: string, name: string): ServiceAddress | undefined;
  /** Resolves when every listener that was requested has opened (or failed). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_AFFINITY_SECONDS = 10800;

interface PortListener {
  name?: string;
  port: number;
  server: Server;
  picker: BackendPicker;
}

interface ProxiedService {
  uid: string;
  clusterIP: string;
  signature: string;
  listeners: PortListener[];
  opening: Promise<void>;
}

export function startServiceProxy(store: KubeStore, options: ServiceProxyOptions): ServiceProxy {
  const pool: IpPool = createIpPool(options.serviceCidr);
  const services = new Map<string, ProxiedService>();
  const sockets = new Set<Socket>();
  const log = options.log ?? (() => {});
  let stopped = false;

  const keyOf = (obj: KubeObject) => `${obj.metadata.namespace}/${obj.metadata.name}`;

  const affinityOf = (svc: KubeObject) => ({
    timeoutMs: svc.spec?.sessionAffinity === 'ClientIP' ? (svc.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) * 1000 : 0,
  });

  const refreshBackends = (namespace: string, name: string): void => {
    const proxied = services.get(`${namespace}/${name}`);
    if (!proxied) return;
    const endpoints = store.get('Endpoints', namespace, name);
    for (const listener of proxied.listeners) listener.picker.setBackends(readyBackends(endpoints, listener.name));
  };

  const close = async (key: string): Promise<void> => {
    const proxied = services.get(key);
    if (!proxied) return;
    services.delete(key);
    pool.release(proxied.uid);
    await proxied.opening;
    await Promise.all(proxied.listeners.map((l) => new Promise<void>((resolve) => l.server.close(() => resolve()))));
  };

  const sync = (svc: KubeObject): void => {
    const key = keyOf(svc);
    const spec = svc.spec ?? {};
    if (spec.clusterIP === 'None' || (spec.type && spec.type !== 'ClusterIP' && spec.type !== 'NodePort' && spec.type !== 'LoadBalancer')) {
      void close(key);
      return;
    }
    let clusterIP: string = spec.clusterIP;
    if (!clusterIP) {
      clusterIP = pool.allocate(svc.metadata.uid!);
      store.mutate('Service', svc.metadata.namespace, svc.metadata.name!, (obj) => {
        obj.spec = { ...(obj.spec ?? {}), clusterIP, clusterIPs: [clusterIP] };
      });
      return; // the write comes back as an event with the address set
    }
    const ports = ((spec.ports ?? []) as JsonMap[]).map((p) => ({ name: p.name as string | undefined, port: p.port as number }));
    const signature = JSON.stringify({ uid: svc.metadata.uid, clusterIP, ports });
    const existing = services.get(key);
    if (existing && existing.signature === signature) {
      for (const l of existing.listeners) l.picker.setAffinity(affinityOf(svc));
      return;
    }
    const previous = existing ? close(key) : Promise.resolve();
    const proxied: ProxiedService = { uid: svc.metadata.uid!, clusterIP, signature, listeners: [], opening: Promise.resolve() };
    services.set(key, proxied);
    proxied.opening = previous.then(async () => {
      for (const { name, port } of ports) {
        const picker = new BackendPicker(affinityOf(svc));
        const server = createServer((client) => forward(client, picker));
        try {
          await listen(server, clusterIP, port);
          proxied.listeners.push({ name, port, server, picker });
        } catch (error) {
          log(`service ${key}: cannot listen on ${clusterIP}:${port}: ${(error as Error).message}`);
        }
      }
      refreshBackends(svc.metadata.namespace!, svc.metadata.name!);
    });
  };

  const forward = (client: Socket, picker: BackendPicker): void => {
    const backend = picker.pick(client.remoteAddress ?? '');
    if (!backend) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect({ host: backend.host, port: backend.port });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.setNoDelay(true);
    }
    client.pipe(upstream).on('error', () => client.destroy());
    upstream.pipe(client).on('error', () => upstream.destroy());
    upstream.once('error', () => client.resetAndDestroy());
    client.once('error', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    client.once('close', () => upstream.destroy());
  };

  const onEvent = (event: StoreEvent): void => {
    if (stopped) return;
    const { object } = event;
    if (event.kind === 'Service') {
      if (event.type === 'DELETED') void close(keyOf(object));
      else sync(object);
    } else if (event.kind === 'Endpoints') {
      refreshBackends(object.metadata.namespace!, object.metadata.name!);
    }
  };
  const off = store.subscribe(onEvent);
  for (const svc of store.list('Service').items) sync(svc);

  return {
    address(namespace, name) {
      const proxied = services.get(`${namespace}/${name}`);
      if (!proxied || proxied.listeners.length === 0) return undefined;
      return { namespace, name, clusterIP: proxied.clusterIP, ports: proxied.listeners.map(({ name: n, port }) => ({ ...(n ? { name: n } : {}), port })) };
    },
    async settled() {
      await Promise.all([...services.values()].map((s) => s.opening));
    },
    async stop() {
      stopped = true;
      off();
      for (const socket of sockets) socket.destroy();
      await Promise.all([...services.keys()].map((key) => close(key)));
    },
  };
}

/** Ready addresses of the Endpoints subset that carries the named service port. */
export function readyBackends(endpoints: KubeObject | undefined, portName: string | undefined): Backend[] {
  const backends: Backend[] = [];
  for (const subset of (endpoints?.subsets ?? []) as JsonMap[]) {
    const ports = (subset.ports ?? []) as JsonMap[];
    const port = ports.find((p) => (p.name ?? undefined) === portName) ?? (ports.length === 1 ? ports[0] : undefined);
    if (!port) continue;
    for (const address of (subset.addresses ?? []) as JsonMap[]) backends.push({ host: address.ip, port: port.port });
  }
  return backends;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
