import type { Command } from 'commander';
import type { Fleet, GatewayAdmin } from '../ops/ports.js';
import { UsageError } from '../ops/errors.js';
import { createIOStreams, type IOStreams } from '../ui/iostreams.js';
import { note } from '../ui/notes.js';
import type { Factory } from './factory.js';
import { readGlobals, type GlobalOptions } from './globals.js';
import { readGatewayContract, type GatewayContractOptions } from './gateway-flags.js';

/**
 * One command's view of the world: its parsed global flags, its streams, and lazily built
 * adapters. Only cli/ wires adapters to ops (DESIGN.md §3).
 */
export interface Session {
  globals: GlobalOptions;
  contract: GatewayContractOptions;
  io: IOStreams;
  factory: Factory;
  fleet(): Promise<Fleet>;
  gateway(): Promise<GatewayAdmin>;
  /** Release sockets; safe to call more than once. */
  close(): Promise<void>;
}

export function openSession(factory: Factory, command: Command): Session {
  const globals = readGlobals(command);
  const contract = readGatewayContract(command.optsWithGlobals());
  const io = createIOStreams(factory.terminal, globals);
  if (globals.insecureSkipTlsVerify) {
    note(io, 'warning: --insecure-skip-tls-verify: TLS certificates are not verified; anyone on the path can read and change this traffic');
  }
  let fleet: Promise<Fleet> | undefined;
  let gateway: Promise<GatewayAdmin> | undefined;
  return {
    globals,
    contract,
    io,
    factory,
    fleet: () => (fleet ??= openFleet(globals)),
    gateway: () => (gateway ??= openGateway(factory, globals, contract)),
    async close() {
      if (gateway) await (await gateway.catch(() => undefined))?.close();
    },
  };
}

async function openFleet(globals: GlobalOptions): Promise<Fleet> {
  const staticFleet = await import('../static-fleet/index.js');
  if (globals.fleetFile) return staticFleet.loadFleetFile(globals.fleetFile);
  if (globals.instances) return staticFleet.fleetFromUrls(globals.instances);
  throw new UsageError(
    'no fleet given',
    'use --fleet FILE or --instances URL,URL… (a Kubernetes target such as sts/NAME needs a kubeconfig)',
  );
}

async function readAdminToken(factory: Factory, globals: GlobalOptions): Promise<string | undefined> {
  if (globals.adminTokenFile) {
    const { readAdminTokenFile } = await import('../gateway/index.js');
    return readAdminTokenFile(globals.adminTokenFile);
  }
  const fromEnv = factory.env.CONDUIT_ADMIN_TOKEN?.trim();
  return fromEnv ? fromEnv : undefined;
}

async function openGateway(factory: Factory, globals: GlobalOptions, contract: GatewayContractOptions): Promise<GatewayAdmin> {
  const { createGatewayAdmin } = await import('../gateway/index.js');
  const countPath = contract.countPath;
  return createGatewayAdmin({
    adminPort: contract.adminPort,
    paths: contract.healthPath ? { health: contract.healthPath } : undefined,
    count: contract.countMetric
      ? { kind: 'prometheus', path: countPath ?? '/metrics', metric: contract.countMetric }
      : countPath || contract.countField
        ? { kind: 'json', path: countPath ?? '/v1/metrics', field: contract.countField ?? 'ws.connections.active' }
        : undefined,
    healthInstanceField: contract.instanceField,
    adminToken: await readAdminToken(factory, globals),
    timeoutMs: globals.requestTimeoutMs,
    insecureSkipTlsVerify: globals.insecureSkipTlsVerify,
  });
}
