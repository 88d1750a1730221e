// The Kubernetes adapter: the only importer of @kubernetes/client-node. cli/ calls connectKube()
// (lazily, so `--version` never loads the client) and hands the ports to ops/.

import type { Fleet, FleetDescription, Rollouts, Workloads } from '../ops/ports/index.js';
import { UsageError } from '../ops/errors.js';
import { makeApis } from './api.js';
import { KubeClient } from './client.js';
import { KubeFleet } from './fleet.js';
import { isInCluster, loadKubeConfig, type Env, type KubeConfigOverrides } from './kubeconfig.js';
import type { LeaseOptions } from './lease.js';
import { KubeRest } from './rest.js';
import { chooseVia, proxyTransport, type KubeGatewayTransport, type Via } from './transport.js';
import { KubeWorkloads } from './workloads.js';
import { KubeRollouts } from './rollout.js';

export { leastPrivilegeRules, rulesAllow, type PolicyRule } from './access.js';
export { contractFromAnnotations, CONTRACT_ANNOTATIONS, type AnnotatedContract } from './annotations.js';
export { KubeUnavailableError } from './errors.js';
export { listNames, type KubeNameKind } from './names.js';
export { SERVICE_ACCOUNT_DIR, type Env, type KubeConfigOptions } from './kubeconfig.js';
export type { KubeGatewayTransport, TransportTls, Via } from './transport.js';

export interface ConnectKubeOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  /** The process environment, passed in (KUBECONFIG, HOME, KUBERNETES_SERVICE_HOST/PORT). */
  env: Env;
  insecureSkipTlsVerify?: boolean;
  /** Timeout of every API request. */
  requestTimeoutMs: number;
  /** Where the pod's service account is mounted; default the standard path. */
  serviceAccountDir?: string;
  lease?: LeaseOptions;
  /** --cluster, --user, --server, --token, --as (kubectl's meanings). */
  overrides?: KubeConfigOverrides;
  /** --as-group: the group to impersonate (Impersonate-Group), with --as. */
  asGroup?: string;
  /** -v=6 and above: one line per API call (and at 8 the request bodies), never a credential. */
  trace?: (line: string) => void;
  traceBodies?: boolean;
}

export interface KubeConnection {
  fleet: Fleet;
  workloads: Workloads;
  /** StatefulSet rollouts: watch one, restart one (`probe --rollout`). */
  rollouts: Rollouts;
  /** How the gateway client reaches pods for `--via`; `auto` = direct inside the cluster, else proxy. */
  gatewayTransport(via: Via): Promise<KubeGatewayTransport>;
  describe(): FleetDescription;
  close(): Promise<void>;
}

export async function connectKube(options: ConnectKubeOptions): Promise<KubeConnection> {
  if (!Number.isFinite(options.requestTimeoutMs) || options.requestTimeoutMs <= 0) {
    throw new UsageError(`invalid request timeout ${options.requestTimeoutMs} ms: must be positive`);
  }
  const loaded = loadKubeConfig(options);
  if (options.asGroup !== undefined && options.overrides?.as === undefined) throw new UsageError('--as-group needs --as (the user to impersonate)');
  const impersonation: Record<string, string> = options.asGroup !== undefined ? { 'Impersonate-Group': options.asGroup } : {};
  const rest = new KubeRest(loaded.kc, loaded.server, {
    headers: impersonation,
    ...(options.trace ? { trace: options.trace, traceBodies: options.traceBodies === true } : {}),
    secrets: [options.overrides?.token ?? ''],
  });
  const client = new KubeClient(makeApis(rest), loaded.namespace, options.requestTimeoutMs);
  const description: FleetDescription = {
    kind: 'kubernetes',
    source: `cluster ${loaded.clusterName} (${loaded.server}), context ${loaded.contextName}, namespace ${loaded.namespace}`,
    cluster: loaded.clusterName,
    context: loaded.contextName,
    namespace: loaded.namespace,
  };
  const inCluster = isInCluster(options.env, options.serviceAccountDir);
  return {
    fleet: new KubeFleet(client, description),
    workloads: new KubeWorkloads(client, options.lease),
    rollouts: new KubeRollouts(client),
    gatewayTransport: async (via) =>
      chooseVia(via, inCluster) === 'direct'
        ? { kind: 'direct' }
        : proxyTransport(loaded.kc, loaded.namespace, options.insecureSkipTlsVerify, impersonation),
    describe: () => ({ ...description }),
    close: async () => rest.close(),
  };
}
