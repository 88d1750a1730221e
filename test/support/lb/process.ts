import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A port that was free on `host` a moment ago (load balancers cannot bind port 0 and tell us). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface ManagedProcess {
  child: ChildProcess;
  output(): string;
  /** SIGTERM (both balancers shut down fast on it), SIGKILL if still alive after 5 s. */
  stop(): Promise<void>;
}

/** Spawn a server process and wait until host:port accepts connections (or fail with its output). */
export async function startListening(command: string, args: string[], host: string, port: number, what: string): Promise<ManagedProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 15_000;
  while (!(await canConnect(host, port))) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${what} did not listen on ${host}:${port} within 15 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => output, stop };
}

/** A load balancer started from a config file written into its own temp dir. */
export interface RunningBalancer {
  url: string;
  config: string;
  stop(): Promise<void>;
}

/**
 * Write `config` as `fileName` in a fresh temp dir, start the balancer with `argsFor(dir, file)`,
 * and wait until it listens on host:port. The dir is removed on failure and on stop().
 */
export async function startBalancer(
  what: string,
  command: string,
  fileName: string,
  makeConfig: (dir: string, listen: { host: string; port: number }) => string,
  argsFor: (dir: string, file: string) => string[],
): Promise<RunningBalancer> {
  const host = '127.0.0.1';
  const port = await freePort(host);
  const dir = tempDir(`conduit-${what}-`);
  let proc: ManagedProcess;
  let config: string;
  try {
    config = makeConfig(dir.path, { host, port });
    const file = join(dir.path, fileName);
    writeFileSync(file, config);
    proc = await startListening(command, argsFor(dir.path, file), host, port, what);
  } catch (error) {
    dir.remove();
    throw error;
  }
  return {
    url: `http://${host}:${port}`,
    config,
    async stop() {
      await proc.stop();
      dir.remove();
    },
  };
}
