// The sandbox's Conduit objects: a StatefulSet of reference gateways, a Service with ClientIP
// affinity and a PodDisruptionBudget, as a deployment guide would write them for a cluster.
import type { JsonMap, KubeObject } from './kube-sim/store.js';
import { builtEntry } from './kubelet/runtime.js';

export const GATEWAY_IMAGE = 'conduit/reference-gateway:0.1.0';
export const PUBLIC_PORT = 9088;
export const ADMIN_PORT = 9087;

/**
 * The termination budget of a sandbox pod, in seconds (docs/prestop.md "Choosing
 * terminationGracePeriodSeconds"): the preStop drain gives clients PRESTOP_DRAIN_SECONDS to leave
 * on their own; then SIGTERM gives them SHUTDOWN_DEADLINE_SECONDS more before the gateway sends
 * `shutting_down` and closes with 1001, waiting CLOSE_TIMEOUT_SECONDS for each close handshake.
 * The grace period covers all three plus a margin, so the kill never comes before the notice.
 */
export const PRESTOP_DRAIN_SECONDS = 5;
export const SHUTDOWN_DEADLINE_SECONDS = 3;
export const CLOSE_TIMEOUT_SECONDS = 2;
export const GRACE_MARGIN_SECONDS = 10;
export const TERMINATION_GRACE_SECONDS = PRESTOP_DRAIN_SECONDS + SHUTDOWN_DEADLINE_SECONDS + CLOSE_TIMEOUT_SECONDS + GRACE_MARGIN_SECONDS;

/**
 * How the preStop moves a pod's clients through the Service (`drain --local --migrate`), inside
 * the same PRESTOP_DRAIN_SECONDS: the Service drops the pod within ~2 s (readiness period 1 s ×
 * failureThreshold 2), then 1,000 clients a second, each reconnecting within a second. Whatever
 * is left at the preStop's end still gets the gateway's shutting_down notice.
 */
export const PRESTOP_MIGRATE_FLAGS = ['--rate', '1000/s', '--reconnect-after', '0s-1s', '--rotation-timeout', '4s'];

export interface ConduitManifestOptions {
  namespace?: string;
  name?: string;
  replicas?: number;
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  /** The rolling update's partition (default 0: every ordinal is updated). */
  partition?: number;
  image?: string;
  terminationGracePeriodSeconds?: number;
  /**
   * The preStop exec command; default: `conduitctl drain --local` against the pod's own admin port,
   * with `--migrate` through the Service when its address (serviceClusterIP) is known.
   */
  preStopCommand?: string[] | null;
  /** The Service's fixed ClusterIP (the world picks it from its service range). */
  serviceClusterIP?: string;
  /** false: the preStop only drains and waits, even when serviceClusterIP is known (the old way). */
  migrateOnPreStop?: boolean;
  /** Extra gateway flags (e.g. --tick-ms 0, --shutdown-deadline-ms 5000). */
  gatewayArgs?: string[];
  readinessPeriodSeconds?: number;
  sessionAffinityTimeoutSeconds?: number;
  minAvailable?: number | string;
  /** Node binary for the preStop (default: the one running this code). */
  nodePath?: string;
}

export interface ConduitManifests {
  namespace: KubeObject;
  statefulSet: KubeObject;
  service: KubeObject;
  podDisruptionBudget: KubeObject;
}

/**
 * `conduitctl drain --local` as the preStop hook, run with the built CLI and an absolute node so
 * the sandbox needs nothing on PATH. The shell expands $POD_IP: the gateway listens on the pod's IP.
 */
export function drainPreStop(nodePath: string = process.execPath, timeout = `${PRESTOP_DRAIN_SECONDS}s`, reconnectUrl?: string): string[] {
  const cli = builtEntry('conduitctl.js');
  const migrate = reconnectUrl ? ` --migrate --reconnect-url '${reconnectUrl}' ${PRESTOP_MIGRATE_FLAGS.join(' ')}` : '';
  // --min-drain-time 1s: the sandbox's endpoints follow readiness within a second, not kube-proxy's ~30 s.
  return ['/bin/sh', '-c', `exec '${nodePath}' '${cli}' drain --local --local-url "http://$POD_IP:${ADMIN_PORT}" --timeout ${timeout} --min-drain-time 1s${migrate}`];
}

export function conduitManifests(options: ConduitManifestOptions = {}): ConduitManifests {
  const namespace = options.namespace ?? 'conduit';
  const name = options.name ?? 'conduit';
  const labels = { app: name, 'app.kubernetes.io/name': 'conduit' };
  const serviceUrl = options.serviceClusterIP && options.migrateOnPreStop !== false ? `ws://${options.serviceClusterIP}:${PUBLIC_PORT}/v1/subscribe` : undefined;
  const preStop = options.preStopCommand === undefined ? drainPreStop(options.nodePath, undefined, serviceUrl) : options.preStopCommand;
  const container: JsonMap = {
    name: 'gateway',
    image: options.image ?? GATEWAY_IMAGE,
    args: [
      '--port', String(PUBLIC_PORT),
      '--admin-port', String(ADMIN_PORT),
      '--shutdown-deadline-ms', String(SHUTDOWN_DEADLINE_SECONDS * 1000),
      '--close-timeout-ms', String(CLOSE_TIMEOUT_SECONDS * 1000),
      ...(options.gatewayArgs ?? []),
    ],
    ports: [
      { name: 'ws', containerPort: PUBLIC_PORT, protocol: 'TCP' },
      { name: 'admin', containerPort: ADMIN_PORT, protocol: 'TCP' },
    ],
    env: [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    ],
    readinessProbe: { httpGet: { path: '/health', port: 'admin' }, periodSeconds: options.readinessPeriodSeconds ?? 1, failureThreshold: 2, timeoutSeconds: 1 },
    ...(preStop ? { lifecycle: { preStop: { exec: { command: preStop } } } } : {}),
  };
  return {
    namespace: { metadata: { name: namespace } },
    statefulSet: {
      metadata: { name, namespace, labels, annotations: { 'conduit.dev/admin-port': String(ADMIN_PORT), 'conduit.dev/health-path': '/health' } },
      spec: {
        replicas: options.replicas ?? 3,
        serviceName: name,
        podManagementPolicy: options.podManagementPolicy ?? 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: options.partition ?? 0 } },
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels },
          spec: { terminationGracePeriodSeconds: options.terminationGracePeriodSeconds ?? TERMINATION_GRACE_SECONDS, containers: [container] },
        },
      },
    },
    service: {
      metadata: { name, namespace, labels },
      spec: {
        ...(options.serviceClusterIP ? { clusterIP: options.serviceClusterIP, clusterIPs: [options.serviceClusterIP] } : {}),
        selector: { app: name },
        ports: [{ name: 'ws', port: PUBLIC_PORT, targetPort: 'ws', protocol: 'TCP' }],
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: options.sessionAffinityTimeoutSeconds ?? 10800 } },
      },
    },
    podDisruptionBudget: {
      metadata: { name, namespace, labels },
      spec: { minAvailable: options.minAvailable ?? 2, selector: { matchLabels: { app: name } } },
    },
  };
}
