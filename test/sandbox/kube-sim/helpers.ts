import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seedNamespace, startKubeSim, type KubeObject, type KubeSim } from '../../../src/sandbox/kube-sim/index.js';
import { conduitManifests } from '../../../src/sandbox/manifests.js';
import { kubectl, type Kubectl } from '../support/kubectl.js';

export interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  text: string;
  body: any;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  contentType?: string;
  token?: string | null;
}

/** One HTTPS request to kube-sim, verifying its CA. */
export function call(sim: KubeSim, path: string, options: CallOptions = {}): Promise<Reply> {
  const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const token = options.token === undefined ? sim.token : options.token;
  const url = new URL(path, sim.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        ca: sim.caPem,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(payload !== undefined ? { 'Content-Type': options.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export async function startSimWithNamespace(namespace = 'ns'): Promise<KubeSim> {
  const sim = await startKubeSim({ bookmarkIntervalMs: 200 });
  seedNamespace(sim.store, namespace);
  return sim;
}

export function podManifest(name: string, options: { labels?: Record<string, string>; ip?: string; ready?: boolean; port?: number; owner?: KubeObject } = {}): KubeObject {
  const port = options.port ?? 8080;
  return {
    metadata: {
      name,
      namespace: 'ns',
      labels: options.labels ?? { app: 'gw' },
      ...(options.owner
        ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: options.owner.metadata.name!, uid: options.owner.metadata.uid!, controller: true }] }
        : {}),
    },
    spec: { containers: [{ name: 'gateway', image: 'conduit/reference-gateway', ports: [{ containerPort: port, name: 'admin' }] }] },
    status: {
      phase: 'Running',
      ...(options.ip ? { podIP: options.ip } : {}),
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }],
    },
  };
}

/** The sandbox's own StatefulSet (src/sandbox/manifests.ts) in namespace ns, without a preStop hook. */
export function statefulSetManifest(name: string, replicas: number): KubeObject {
  return conduitManifests({ namespace: 'ns', name, replicas, preStopCommand: null }).statefulSet;
}

export function pdbManifest(name: string, spec: Record<string, unknown>, app = 'gw'): KubeObject {
  return { metadata: { name, namespace: 'ns' }, spec: { selector: { matchLabels: { app } }, ...spec } };
}

export interface Upstream {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** A tiny "pod" HTTP server that echoes what it received. */
export async function echoServer(host: string): Promise<Upstream> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Echo': 'yes' });
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          body: Buffer.concat(chunks).toString('utf8'),
          authorization: req.headers.authorization ?? null,
          adminToken: req.headers['x-conduit-admin-token'] ?? null,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function portOf(upstream: Upstream): number {
  return (upstream.server.address() as AddressInfo).port;
}

/** kube-sim with namespace "ns", a kubeconfig for it in a temp dir, and a real kubectl per test. */
export interface SimForKubectl {
  sim: KubeSim;
  dir: string;
  kubeconfigPath: string;
  /** A kubectl with its own discovery cache (KUBECACHEDIR), disposed by disposeKubectls(). */
  kubectl(): Kubectl;
  disposeKubectls(): void;
  close(): Promise<void>;
}

export async function startSimForKubectl(prefix: string): Promise<SimForKubectl> {
  const sim = await startSimWithNamespace('ns');
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await sim.writeKubeconfig(kubeconfigPath, { namespace: 'ns' });
  const opened: Kubectl[] = [];
  return {
    sim,
    dir,
    kubeconfigPath,
    kubectl() {
      const k = kubectl(kubeconfigPath);
      opened.push(k);
      return k;
    },
    disposeKubectls() {
      for (const k of opened.splice(0)) k.dispose();
    },
    async close() {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
