import type { Command } from 'commander';
import type { Fleet, GatewayAdmin, StatefulSetInfo, Rollouts, Target, Workloads } from '../ops/ports/index.js';
import { UsageError } from '../ops/errors.js';
import { createIOStreams, type IOStreams } from '../ui/iostreams.js';
import { note } from '../ui/notes.js';
import type { Factory } from './factory.js';
import { readGlobals, type GlobalOptions } from './globals.js';
import { readGatewayContract, type GatewayContractOptions } from './gateway-flags.js';

type KubeConnection = Awaited<ReturnType<typeof import('../kube/index.js').connectKube>>;

/**
 * One command's view of the world: its parsed global flags, its streams, and lazily built
 * adapters. Only cli/ wires adapters to ops (DESIGN.md §3). A fleet comes from --fleet or
 * --instances when given, otherwise from Kubernetes.
 */
export interface Session {
  globals: GlobalOptions;
  /** Contract flags given on the command line (they win over StatefulSet annotations). */
  contract: GatewayContractOptions;
  io: IOStreams;
  factory: Factory;
  /** True when the fleet is Kubernetes (no --fleet / --instances). */
  readonly onKubernetes: boolean;
  fleet(): Promise<Fleet>;
  /** Kubernetes workloads (StatefulSets, scale, eviction, leases); a UsageError for file fleets. */
  workloads(): Promise<Workloads>;
  /** StatefulSet rollouts (`probe --rollout`); a UsageError for file fleets. */
  rollouts(): Promise<Rollouts>;
  /**
   * The gateway client. Call `useAnnotations` first when the target is a workload whose
   * `conduit.dev/*` annotations declare its contract.
   */
  gateway(): Promise<GatewayAdmin>;
  useAnnotations(statefulSet: StatefulSetInfo): Promise<void>;
  /** For `sts/NAME` on Kubernetes: read the StatefulSet (exit 2 when missing) and apply its annotations. */
  useWorkloadContract(target: Target): Promise<void>;
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
  let contract: GatewayContractOptions = flagContract;
  let kube: Promise<KubeConnection> | undefined;
  let fleet: Promise<Fleet> | undefined;
  let gateway: Promise<GatewayAdmin> | undefined;
  const connect = () => (kube ??= openKube(factory, globals));

  return {
    globals,
    contract: flagContract,
    io,
    factory,
    onKubernetes,
    fleet: () => (fleet ??= onKubernetes ? connect().then((k) => k.fleet) : openStaticFleet(globals, flagContract.adminPort)),
    async workloads() {
      if (!onKubernetes) throw new UsageError('this needs a Kubernetes StatefulSet; --fleet and --instances name plain instances');
      return (await connect()).workloads;
    },
    async rollouts() {
      if (!onKubernetes) throw new UsageError('--rollout needs a Kubernetes StatefulSet; --fleet and --instances name plain instances');
      return (await connect()).rollouts;
    },
    gateway: () => (gateway ??= openGateway(factory, globals, contract, onKubernetes ? connect : undefined)),
    async useAnnotations(statefulSet) {
      if (gateway) throw new Error('useAnnotations must be called before the gateway client is opened');
      const { contractFromAnnotations } = await import('../kube/index.js');
      const declared = contractFromAnnotations(statefulSet);
      contract = { ...declared, ...definedOnly(flagContract) };
    },
    async useWorkloadContract(target) {
      if (!onKubernetes || target.kind !== 'workload' || target.workloadKind !== 'statefulset') return;
      const statefulSet = await (await this.workloads()).getStatefulSet(target.name, factory.signal);
      if (!statefulSet) throw new UsageError(`statefulset "${target.name}" not found in namespace ${(await connect()).describe().namespace}`);
      await this.useAnnotations(statefulSet);
    },
    async close() {
      if (gateway) await (await gateway.catch(() => undefined))?.close();
      if (kube) await (await kube.catch(() => undefined))?.close();
    },
    async runAndClose(work) {
      try {
        return await work();
      } finally {
        await this.close();
      }
    },
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function openKube(factory: Factory, globals: GlobalOptions): Promise<KubeConnection> {
  const { connectKube } = await import('../kube/index.js');
  return connectKube({
    kubeconfig: globals.kubeconfig,
    context: globals.context,
    namespace: globals.namespace,
    env: factory.env,
    insecureSkipTlsVerify: globals.insecureSkipTlsVerify,
    requestTimeoutMs: globals.requestTimeoutMs,
  });
}

/** `--admin-port` applies to admin URLs written without a port; one written with another port is refused. */
async function openStaticFleet(globals: GlobalOptions, adminPort: number | undefined): Promise<Fleet> {
  const staticFleet = await import('../static-fleet/index.js');
  const options = adminPort === undefined ? {} : { adminPort };
  if (globals.fleetFile) return staticFleet.loadFleetFile(globals.fleetFile, options);
  return staticFleet.fleetFromUrls(globals.instances ?? [], options);
}

async function readAdminToken(factory: Factory, globals: GlobalOptions): Promise<string | undefined> {
  if (globals.adminTokenFile) {
    const { readAdminTokenFile } = await import('../gateway/index.js');
    return readAdminTokenFile(globals.adminTokenFile);
  }
  const fromEnv = factory.env.CONDUIT_ADMIN_TOKEN?.trim();
  return fromEnv ? fromEnv : undefined;
}

async function openGateway(
  factory: Factory,
  globals: GlobalOptions,
  contract: GatewayContractOptions,
  kube: (() => Promise<KubeConnection>) | undefined,
): Promise<GatewayAdmin> {
  const { createGatewayAdmin } = await import('../gateway/index.js');
  const { countPath, countField, countMetric } = contract;
  return createGatewayAdmin({
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
    transport: kube ? await (await kube()).gatewayTransport(globals.via) : { kind: 'direct' },
  });
}
