// The reference gateway as a real process, on loopback addresses — the one helper every test uses
// to start it. It runs what the build produced (dist/, via bin/conduit-gateway when asked): `npm
// test` builds first; no test compiles anything. The gateway shares no code with what is tested.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const GATEWAY_PATH = fileURLToPath(new URL('../../dist/reference-gateway/main.js', import.meta.url));
export const GATEWAY_LAUNCHER = fileURLToPath(new URL('../../bin/conduit-gateway', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ListeningInstance {
  name: string;
  address: string;
  port: number;
  adminPort: number;
}

/** A gateway process exactly as started: its output so far, its exit, its listening line. */
export class SpawnedGateway {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** The first stdout line, `{"event":"listening","instances":[…]}`; rejects if the process exits first. */
  async listening(timeoutMs = 20_000): Promise<{ event: 'listening'; instances: ListeningInstance[] }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.stdout.includes('\n')) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`gateway exited before listening: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`gateway did not start within ${timeoutMs} ms: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return JSON.parse(this.stdout.split('\n')[0]!) as { event: 'listening'; instances: ListeningInstance[] };
  }

  /** SIGKILL unless it already exited; resolves once it has. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

export interface SpawnOptions {
  env?: Record<string, string>;
  /** Through bin/conduit-gateway with only PATH and `env` (the launcher as an operator runs it). */
  launcher?: boolean;
}

/** Start the gateway with exactly `args`. */
export function spawnGateway(args: string[], o: SpawnOptions = {}): SpawnedGateway {
  const child = o.launcher
    ? spawn(process.execPath, [GATEWAY_LAUNCHER, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [GATEWAY_PATH, ...args], { env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new SpawnedGateway(child);
}

export interface GatewayProcess {
  child: ChildProcess;
  instances: ListeningInstance[];
  /** Admin base URL of instance i. */
  adminUrl(i?: number): string;
  /** WebSocket URL of instance i. */
  wsUrl(i?: number): string;
  stop(): Promise<void>;
}

/** A running fleet of gateways on ephemeral ports (`args` add --instances, --base-ip, …). */
export async function startGatewayProcess(args: string[], env: Record<string, string> = {}): Promise<GatewayProcess> {
  const gateway = spawnGateway(['--port', '0', '--admin-port', '0', ...args], { env });
  let instances: ListeningInstance[];
  try {
    ({ instances } = await gateway.listening());
  } catch (error) {
    await gateway.stop();
    throw error;
  }
  return {
    child: gateway.child,
    instances,
    adminUrl: (i = 0) => `http://${instances[i]!.address}:${instances[i]!.adminPort}`,
    wsUrl: (i = 0) => `ws://${instances[i]!.address}:${instances[i]!.port}/v1/subscribe`,
    stop: () => gateway.stop(),
  };
}
