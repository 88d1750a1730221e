// Starts the reference gateway as a real process (bin/conduit-gateway's entry, dist/) on loopback
// addresses and stops it again. The gateway shares no code with what the tests exercise.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const GATEWAY_PATH = fileURLToPath(new URL('../../dist/reference-gateway/main.js', import.meta.url));

export interface ListeningInstance {
  name: string;
  address: string;
  port: number;
  adminPort: number;
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

export async function startGatewayProcess(args: string[], env: Record<string, string> = {}): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [GATEWAY_PATH, '--port', '0', '--admin-port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const instances = await new Promise<ListeningInstance[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start in time: ${stderr}`)), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}: ${stderr}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const message = JSON.parse(line) as { event?: string; instances?: ListeningInstance[] };
        if (message.event === 'listening' && message.instances) {
          clearTimeout(timer);
          resolve(message.instances);
        }
      } catch {
        // not our line
      }
    });
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    child,
    instances,
    adminUrl: (i = 0) => `http://${instances[i]!.address}:${instances[i]!.adminPort}`,
    wsUrl: (i = 0) => `ws://${instances[i]!.address}:${instances[i]!.port}/v1/subscribe`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
      await exited;
    },
  };
}
