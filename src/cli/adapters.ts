// The adapters a Session wires to the ports, behind one seam: main.ts hands the real ones (each
// loaded only when first used, so `--version` and `--help` never load client-node or the gateway client);
// tests hand in-memory fakes of the ports (test/support/cli).

import type { Fleet, GatewayAdmin, StickySampler } from '../ops/ports/index.js';
import type { ConnectKubeOptions, KubeConfigOptions, KubeConnection, KubeNameKind } from '../kube/index.js';
import type { GatewayClientConfig } from '../gateway/index.js';
import type { StickySamplerConfig } from '../sticky-sampler/index.js';
import type { StaticFleetOptions } from '../static-fleet/index.js';

export type { ConnectKubeOptions, KubeConfigOptions, KubeConnection, KubeNameKind } from '../kube/index.js';
export type { GatewayClientConfig } from '../gateway/index.js';
export type { StickySamplerConfig } from '../sticky-sampler/index.js';

export type StaticFleetSource = ({ file: string } | { urls: string[] }) & { options?: StaticFleetOptions };

export interface Adapters {
  connectKube(options: ConnectKubeOptions): Promise<KubeConnection>;
  staticFleet(source: StaticFleetSource): Promise<Fleet>;
  gatewayAdmin(config: GatewayClientConfig): Promise<GatewayAdmin>;
  readAdminTokenFile(path: string): Promise<string>;
  stickySampler(config: StickySamplerConfig): Promise<StickySampler>;
  /** Names for shell completion: one list call, within deadlineMs of its start (or the process's abort). */
  kubeNames(kind: KubeNameKind, config: KubeConfigOptions, deadlineMs: number, signal: AbortSignal): Promise<string[]>;
}

export const realAdapters: Adapters = {
  async connectKube(options) {
    const { connectKube } = await import('../kube/index.js');
    return connectKube(options);
  },
  async staticFleet(source) {
    const staticFleet = await import('../static-fleet/index.js');
    return 'file' in source ? staticFleet.loadFleetFile(source.file, source.options) : staticFleet.fleetFromUrls(source.urls, source.options);
  },
  async gatewayAdmin(config) {
    const { createGatewayAdmin } = await import('../gateway/index.js');
    return createGatewayAdmin(config);
  },
  async readAdminTokenFile(path) {
    const { readAdminTokenFile } = await import('../gateway/index.js');
    return readAdminTokenFile(path);
  },
  async stickySampler(config) {
    const { createStickySampler } = await import('../sticky-sampler/index.js');
    return createStickySampler(config);
  },
  async kubeNames(kind, config, deadlineMs, signal) {
    const { listNames } = await import('../kube/index.js');
    return listNames(kind, config, deadlineMs, signal);
  },
};
