// How gateway admin calls reach pods: straight to the pod IP (inside the cluster), or through the
// API server's pods/proxy with this kubeconfig's TLS and credentials. The shape is the gateway
// client's `GatewayTransport` (src/gateway/config.ts), declared here too because siblings never
// import each other; cli/ hands one to the other.

import type { RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export type Via = 'auto' | 'proxy' | 'direct';

export interface TransportTls {
  ca?: string | Buffer | Array<string | Buffer>;
  cert?: string | Buffer;
  key?: string | Buffer;
  rejectUnauthorized?: boolean;
  servername?: string;
}

export type KubeGatewayTransport =
  | { kind: 'direct' }
  | { kind: 'proxy'; apiServer: string; namespace: string; tls: TransportTls; headers: Record<string, string> };

type PemInput = string | Buffer | Array<string | Buffer>;

function pem(value: unknown): PemInput | undefined {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || Buffer.isBuffer(v))) return value as Array<string | Buffer>;
  return undefined;
}

/** The pods/proxy transport: the API server URL, its CA, the client certificate and Authorization. */
export async function proxyTransport(
  kc: KubeConfig,
  namespace: string,
  insecureSkipTlsVerify = false,
  extraHeaders: Record<string, string> = {},
): Promise<KubeGatewayTransport> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const options: RequestOptions = {};
  await kc.applyToHTTPSOptions(options);
  const tls: TransportTls = {};
  const ca = pem(options.ca);
  const cert = options.cert === undefined ? undefined : pem(options.cert);
  const key = options.key === undefined ? undefined : pem(options.key);
  if (ca !== undefined) tls.ca = ca;
  if (cert !== undefined && !Array.isArray(cert)) tls.cert = cert;
  if (key !== undefined && !Array.isArray(key)) tls.key = key;
  tls.rejectUnauthorized = !(insecureSkipTlsVerify || cluster.skipTLSVerify || options.rejectUnauthorized === false);
  if (cluster.tlsServerName) tls.servername = cluster.tlsServerName;
  const headers: Record<string, string> = { ...extraHeaders };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return { kind: 'proxy', apiServer: cluster.server.replace(/\/+$/, ''), namespace, tls, headers };
}

/** `--via auto`: by pod IP when running inside the cluster, else through the API server. */
export function chooseVia(via: Via, inCluster: boolean): 'proxy' | 'direct' {
  if (via !== 'auto') return via;
  return inCluster ? 'direct' : 'proxy';
}
