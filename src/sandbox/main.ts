// Process entry of the sandbox daemon (`conduitctl sandbox up` starts it detached):
//   node dist/sandbox/main.js --state-dir DIR [--pod-cidr …] [--service-cidr …] [--api-port N]
//                             [--api-address IP]
//                             [--replicas N] [--in-process]
// Starts the world, keeps DIR/state.json current, prints one JSON line {"event":"ready",…} when
// every pod is Ready, and on SIGTERM/SIGINT stops every pod and removes DIR/state.json.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { isReady } from './controllers/pod-state.js';
import { STATE_FILE, writeStateFile, type SandboxState } from './state-file.js';
import { DEFAULT_POD_CIDR, DEFAULT_SERVICE_CIDR, startSandboxWorld, type SandboxWorld } from './world.js';

const READY_TIMEOUT_MS = 60_000;

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} sandbox: ${message}\n`);
}

function parseOptions() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: {
      'state-dir': { type: 'string' },
      'pod-cidr': { type: 'string', default: DEFAULT_POD_CIDR },
      'service-cidr': { type: 'string', default: DEFAULT_SERVICE_CIDR },
      'api-port': { type: 'string', default: '0' },
      'api-address': { type: 'string', default: '127.0.0.1' },
      replicas: { type: 'string', default: '3' },
      'in-process': { type: 'boolean', default: false },
    },
  });
  if (!values['state-dir']) throw new Error('--state-dir is required');
  const replicas = Number(values.replicas);
  if (!Number.isInteger(replicas) || replicas < 0 || replicas > 1000) throw new Error('--replicas must be an integer from 0 to 1000');
  const apiPort = Number(values['api-port']);
  if (!Number.isInteger(apiPort) || apiPort < 0 || apiPort > 65535) throw new Error('--api-port must be a port number');
  if (isIP(values['api-address']!) === 0) throw new Error('--api-address must be an IP address');
  return {
    stateDir: values['state-dir'],
    apiAddress: values['api-address']!,
    podCidr: values['pod-cidr']!,
    serviceCidr: values['service-cidr']!,
    apiPort,
    replicas,
    mode: values['in-process'] ? ('in-process' as const) : ('process' as const),
  };
}

function snapshot(world: SandboxWorld, status: SandboxState['status'], startedAt: string, mode: SandboxState['mode']): SandboxState {
  const pids = new Map(world.kubelet.pods().map((p) => [p.uid, p.pid]));
  const service = world.service();
  return {
    status,
    pid: process.pid,
    pgid: process.pid,
    startedAt,
    apiUrl: world.apiUrl,
    controlUrl: world.controlUrl,
    kubeconfigPath: world.kubeconfigPath,
    namespace: world.namespace,
    podCidr: world.podCidr,
    serviceCidr: world.serviceCidr,
    mode,
    ...(service ? { service: { name: service.name, clusterIP: service.clusterIP, port: service.ports[0]?.port ?? 0 } } : {}),
    pods: world.store.list('Pod', world.namespace).items.map((pod) => ({
      name: pod.metadata.name!,
      ...(pod.status?.podIP ? { ip: pod.status.podIP } : {}),
      ...(pids.get(pod.metadata.uid!) ? { pid: pids.get(pod.metadata.uid!) } : {}),
      ready: isReady(pod) && !pod.metadata.deletionTimestamp,
      phase: pod.metadata.deletionTimestamp ? 'Terminating' : pod.status?.phase,
    })),
  };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const startedAt = new Date().toISOString();
  const world = await startSandboxWorld({
    stateDir: options.stateDir,
    podCidr: options.podCidr,
    serviceCidr: options.serviceCidr,
    apiPort: options.apiPort,
    apiAddress: options.apiAddress,
    mode: options.mode,
    manifests: { replicas: options.replicas },
    baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/' },
    log,
  });
  let status: SandboxState['status'] = 'starting';
  let writing = Promise.resolve();
  let dirty = false;
  let stopping = false;
  const save = (): void => {
    if (stopping) return;
    // Coalesce bursts of pod events into one write at a time.
    if (dirty) return;
    dirty = true;
    writing = writing.then(async () => {
      dirty = false;
      if (!stopping) await writeStateFile(options.stateDir, snapshot(world, status, startedAt, options.mode));
    }).catch((error: unknown) => log(`cannot write the state file: ${(error as Error).message}`));
  };
  const off = world.store.subscribe((event) => {
    if (event.kind === 'Pod') save();
  });
  save();

  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping every pod`);
    off();
    await writing;
    await world.close();
    await rm(join(options.stateDir, STATE_FILE), { force: true });
    log('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  try {
    await world.waitUntilReady(READY_TIMEOUT_MS);
  } catch (error) {
    stopping = true;
    await world.close();
    await rm(join(options.stateDir, STATE_FILE), { force: true });
    throw error;
  }
  status = 'ready';
  save();
  await writing;
  const service = world.service();
  process.stdout.write(
    JSON.stringify({ event: 'ready', apiUrl: world.apiUrl, kubeconfig: world.kubeconfigPath, namespace: world.namespace, service, pods: world.kubelet.pods().length }) + '\n',
  );
}

main().catch((error: unknown) => {
  log(`failed: ${(error as Error).message}`);
  process.exit(1);
});
