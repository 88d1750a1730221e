// Where an admin call for one instance goes, and with which credentials, for each transport.

import type { Instance } from '../ops/ports/index.js';
import { GatewayError, UsageError } from '../ops/errors.js';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../util/names.js';
import type { GatewayTransport, ResolvedGatewayConfig } from './config.js';

export const ADMIN_TOKEN_HEADER = 'x-conduit-admin-token';

export interface Endpoint {
  url: string;
  /** The URL for messages: no credentials, no query string. */
  display: string;
  headers: Record<string, string>;
}

export class EndpointBuilder {
  constructor(private readonly config: ResolvedGatewayConfig) {}

  /** `/health`: the instance's healthUrl, else the health path on the health port (the admin base URL for static instances). */
  health(instance: Instance): Endpoint {
    const { transport, healthPort, paths } = this.config;
    if (transport.kind === 'direct' && instance.healthUrl) return this.direct(instance.healthUrl);
    return this.build(instance, healthPort, paths.health);
  }

  /** An admin path (counts, drain, undrain, migrate) on the admin port. */
  admin(instance: Instance, path: string): Endpoint {
    return this.build(instance, this.config.adminPort, path);
  }

  private build(instance: Instance, port: number, path: string): Endpoint {
    const { transport } = this.config;
    if (transport.kind === 'proxy') return this.proxied(transport, instance.name, port, path);
    if (instance.adminUrl) return this.direct(joinUrl(instance.adminUrl, path));
    if (!instance.address) {
      throw new GatewayError('unreachable', `instance ${instance.name}`, `${instance.name} has no address yet`);
    }
    const scheme = transport.scheme ?? 'http';
    return this.direct(`${scheme}://${hostForUrl(instance)}:${port}${path}`);
  }

  private direct(url: string): Endpoint {
    const token = this.config.adminToken;
    return endpoint(url, token ? { authorization: `Bearer ${token}` } : {});
  }

  private proxied(transport: Extract<GatewayTransport, { kind: 'proxy' }>, pod: string, port: number, path: string): Endpoint {
    const podProblem = dns1123SubdomainProblem(pod);
    if (podProblem) throw new UsageError(`invalid pod name ${JSON.stringify(pod)}: ${podProblem}`);
    const namespaceProblem = dns1123LabelProblem(transport.namespace);
    if (namespaceProblem) throw new UsageError(`invalid namespace ${JSON.stringify(transport.namespace)}: ${namespaceProblem}`);
    const scheme = transport.podScheme === 'https' ? 'https:' : '';
    const url =
      `${transport.apiServer.replace(/\/+$/, '')}/api/v1/namespaces/${encodeURIComponent(transport.namespace)}` +
      `/pods/${scheme}${encodeURIComponent(pod)}:${port}/proxy${path}`;
    const token = this.config.adminToken;
    return endpoint(url, { ...transport.headers, ...(token ? { [ADMIN_TOKEN_HEADER]: token } : {}) });
  }
}

function endpoint(url: string, headers: Record<string, string>): Endpoint {
  const parsed = new URL(url);
  return { url, display: `${parsed.origin}${parsed.pathname}`, headers: { 'user-agent': 'conduitctl', ...headers } };
}

/** `http://host:9087` + `/v1/metrics`, keeping a path prefix on the base (`http://host/gw/` + `/health`). */
function joinUrl(base: string, path: string): string {
  const parsed = new URL(base);
  parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}${path}`;
  parsed.search = '';
  parsed.hash = '';
  return parsed.toString();
}

function hostForUrl(instance: Instance): string {
  const address = instance.address!;
  if (!/^[A-Za-z0-9.:-]+$/.test(address)) {
    throw new UsageError(`invalid address ${JSON.stringify(address)} for ${instance.name}: expected an IP or host name`);
  }
  return address.includes(':') ? `[${address}]` : address;
}
