import type { Command } from 'commander';
import type { AdminTransport } from '../ops/access/index.js';
import type { Fleet, GatewayAdmin, Rollouts, StatefulSetInfo, Target, Workloads } from '../ops/ports/index.js';
import { UsageError } from '../ops/errors.js';
import { createIOStreams, type IOStreams } from '../ui/iostreams.js';
import { note } from '../ui/notes.js';
import type { KubeConnection } from './adapters.js';
import type { Factory } from './factory.js';
import { readGlobals, type GlobalOptions } from './globals.js';
import { readGatewayContract, type GatewayContractOptions } from './gateway-flags.js';

/** What a command works with, resolved once: every field is ready, in no particular order of use. */
export interface Connected {
  fleet: Fleet;
  gateway: GatewayAdmin;
  /** How the gateway client reaches the admin API; the preflights ask for exactly this access. */
  adminTransport: AdminTransport;
  /** Kubernetes fleets only. */
  workloads?: Workloads;
  /** The StatefulSet a `sts/NAME` target names (or `workload` found), read once; its annotations declare the contract. */
  statefulSet?: StatefulSetInfo;
}

export interface ConnectOptions {
  /**
   * On Kubernetes, the StatefulSet whose annotations declare the contract when the target does not
   * name one (e.g. the owner of the pods to drain): read once, before the gateway client exists.
   */
  workload?(kube: { fleet: Fleet; workloads: Workloads }): Promise<StatefulSetInfo | undefined>;
}

export interface KubeConnected extends Connected {
  workloads: Workloads;
}

/**
 * One command's view of the world: its parsed global flags, its streams, and the adapters wired
 * to the ports (DESIGN.md §3) — resolved once, by one call, in the one order that is right: the
 * connection, the workload (its annotations), the transport, then the gateway client. A fleet
 * comes from --fleet or --instances when given, otherwise from Kubernetes.
 */
export interface Session {
  globals: GlobalOptions;
  io: IOStreams;
  factory: Factory;
  /** True when the fleet is Kubernetes (no --fleet / --instances, not --local). */
  readonly onKubernetes: boolean;
  /** The fleet, its workload (for `sts/NAME` on Kubernetes) and the gateway client. */
  connect(target?: Target, options?: ConnectOptions): Promise<Connected>;
  /** The same on Kubernetes only: a UsageError for --fleet and --instances. */
  connectKubernetes(target?: Target, options?: ConnectOptions): Promise<KubeConnected>;
  /** StatefulSet rollouts (`probe --rollout`); a UsageError for file fleets. Needs no gateway client. */
  rollouts(): Promise<Rollouts>;
  /** Only the gateway on this host (`drain --local`): never loads a kubeconfig. */
  localGateway(): Promise<GatewayAdmin>;
  /** Release sockets; safe to call more than once. */
  close(): Promise<void>;
  /** Run a command's work, then release whatever the session opened, whatever happened. */
  runAndClose<T>(work: () => Promise<T>): Promise<T>;
}

export interface SessionScope {
  /** Only the gateway on this host (`drain --local`): never loads a kubeconfig. */
  localOnly?: boolean;
}

export function openSession(factory: Factory, command: Command, scope: SessionScope = {}): Session {
  const globals = readGlobals(command);
  const flagContract = readGatewayContract(command.optsWithGlobals());
  const io = createIOStreams(factory.terminal, globals);
  if (globals.insecureSkipTlsVerify) {
    note(io, 'warning: --insecure-skip-tls-verify: TLS certificates are not verified; anyone on the path can read and change this traffic');
  }
  const onKubernetes = !scope.localOnly && !globals.fleetFile && !globals.instances;
  let kube: Promise<KubeConnection> | undefined;
  const kubeConnection = () => (kube ??= openKube(factory, globals));
  let connected: Promise<Connected> | undefined;
  let gateway: Promise<GatewayAdmin> | undefined;

  const resolve = async (target: Target | undefined, options: ConnectOptions): Promise<Connected> => {
    if (!onKubernetes) {
      const fleet = await openStaticFleet(factory, globals, flagContract.adminPort);
      gateway = openGateway(factory, globals, flagContract, { kind: 'direct' });
      return { fleet, gateway: await gateway, adminTransport: 'direct' };
    }
    const connection = await kubeConnection();
    const statefulSet = options.workload ? await options.workload(connection) : await readWorkload(connection, target, factory.signal);
    const contract = statefulSet ? await withAnnotations(flagContract, statefulSet) : flagContract;
    const transport = await connection.gatewayTransport(globals.via);
    gateway = openGateway(factory, globals, contract, transport);
    return {
      fleet: connection.fleet,
      workloads: connection.workloads,
      gateway: await gateway,
      adminTransport: transport.kind === 'direct' ? 'direct' : 'pods-proxy',
      ...(statefulSet ? { statefulSet } : {}),
    };
  };

  const session: Session = {
    globals,
    io,
    factory,
    onKubernetes,
    connect: (target, options = {}) => (connected ??= resolve(target, options)),
    async connectKubernetes(target, options) {
      if (!onKubernetes) throw new UsageError('this needs a Kubernetes StatefulSet; --fleet and --instances name plain instances');
      return (await session.connect(target, options)) as KubeConnected;
    },
    async rollouts() {
      if (!onKubernetes) throw new UsageError('--rollout needs a Kubernetes StatefulSet; --fleet and --instances name plain instances');
      return (await kubeConnection()).rollouts;
    },
    localGateway: () => (gateway ??= openGateway(factory, globals, flagContract, { kind: 'direct' })),
    async close() {
      if (gateway) await (await gateway.catch(() => undefined))?.close();
      if (kube) await (await kube.catch(() => undefined))?.close();
    },
    async runAndClose(work) {
      try {
        return await work();
      } finally {
        await session.close();
      }
    },
  };
  return session;
}

/** For `sts/NAME`: the StatefulSet, read once; a missing one is a usage error (exit 2). */
async function readWorkload(connection: KubeConnection, target: Target | undefined, signal: AbortSignal): Promise<StatefulSetInfo | undefined> {
  if (target?.kind !== 'workload' || target.workloadKind !== 'statefulset') return undefined;
  const statefulSet = await connection.workloads.getStatefulSet(target.name, signal);
  if (!statefulSet) throw new UsageError(`statefulset "${target.name}" not found in namespace ${connection.describe().namespace}`);
  return statefulSet;
}

/** The contract the StatefulSet declares in `conduit.dev/*` annotations; flags given win. */
async function withAnnotations(flags: GatewayContractOptions, statefulSet: StatefulSetInfo): Promise<GatewayContractOptions> {
  const { contractFromAnnotations } = await import('../kube/index.js');
  return { ...contractFromAnnotations(statefulSet), ...definedOnly(flags) };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function openKube(factory: Factory, globals: GlobalOptions): Promise<KubeConnection> {
  return factory.adapters.connectKube({
    kubeconfig: globals.kubeconfig,
    context: globals.context,
    namespace: globals.namespace,
    env: factory.env,
    insecureSkipTlsVerify: globals.insecureSkipTlsVerify,
    requestTimeoutMs: globals.requestTimeoutMs,
    overrides: { cluster: globals.cluster, user: globals.user, server: globals.server, token: globals.token, as: globals.as },
    ...(globals.asGroup !== undefined ? { asGroup: globals.asGroup } : {}),
    // kubectl's levels: 6 each API call, 8 the request bodies.
    ...(globals.verbosity >= 6 ? { trace: (line: string) => factory.terminal.err.write(`${line}\n`), traceBodies: globals.verbosity >= 8 } : {}),
  });
}

/** `--admin-port` applies to admin URLs written without a port; one written with another port is refused. */
function openStaticFleet(factory: Factory, globals: GlobalOptions, adminPort: number | undefined): Promise<Fleet> {
  const options = adminPort === undefined ? {} : { adminPort };
  return factory.adapters.staticFleet(globals.fleetFile ? { file: globals.fleetFile, options } : { urls: globals.instances ?? [], options });
}

async function readAdminToken(factory: Factory, globals: GlobalOptions): Promise<string | undefined> {
  if (globals.adminTokenFile) return factory.adapters.readAdminTokenFile(globals.adminTokenFile);
  const fromEnv = factory.env.CONDUIT_ADMIN_TOKEN?.trim();
  return fromEnv ? fromEnv : undefined;
}

type Transport = Awaited<ReturnType<KubeConnection['gatewayTransport']>>;

async function openGateway(factory: Factory, globals: GlobalOptions, contract: GatewayContractOptions, transport: Transport): Promise<GatewayAdmin> {
  const { countPath, countField, countMetric } = contract;
  return factory.adapters.gatewayAdmin({
    adminPort: contract.adminPort,
    paths: contract.healthPath ? { health: contract.healthPath } : undefined,
    count: countMetric
      ? { kind: 'prometheus', path: countPath ?? '/metrics', metric: countMetric }
      : countPath || countField
        ? { kind: 'json', path: countPath ?? '/v1/metrics', field: countField ?? 'ws.connections.active' }
        : undefined,
    healthInstanceField: contract.instanceField,
    healthStatusField: contract.healthStatusField,
    healthOkValues: contract.healthOkValues,
    healthDrainingValues: contract.healthDrainingValues,
    adminToken: await readAdminToken(factory, globals),
    timeoutMs: globals.requestTimeoutMs,
    insecureSkipTlsVerify: globals.insecureSkipTlsVerify,
    transport,
  });
}
