// One OS process per container: `node dist/reference-gateway/main.js ARGS` with the pod's env.
// The container counts as started when the gateway prints its {"event":"listening"} line.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { builtEntry, type Container, type ContainerLaunch, type ContainerRuntime, type ExitInfo } from './runtime.js';

export interface ProcessRuntimeOptions {
  /** Where each pod's output is appended as NAMESPACE_NAME.log; none: kept only as a short tail. */
  logDir?: string;
  /** How long a container may take to listen before it counts as failed. */
  startTimeoutMs?: number;
  nodePath?: string;
}

const TAIL_BYTES = 2048;

export function createProcessRuntime(options: ProcessRuntimeOptions = {}): ContainerRuntime {
  const entry = builtEntry('reference-gateway/main.js');
  return {
    mode: 'process',
    start(launch) {
      if (!existsSync(entry)) return Promise.reject(new Error(`${entry} is missing: build with npx tsc -p tsconfig.json`));
      return startProcess(entry, launch, options);
    },
  };
}

function startProcess(entry: string, launch: ContainerLaunch, options: ProcessRuntimeOptions): Promise<Container> {
  const child = spawn(options.nodePath ?? process.execPath, [entry, ...launch.args], {
    env: launch.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = options.logDir ? createWriteStream(join(options.logDir, `${launch.podKey.replace('/', '_')}.log`), { flags: 'a' }) : undefined;
  let tail = '';
  const keep = (chunk: Buffer): void => {
    log?.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stderr.on('data', keep);

  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      log?.end();
      resolve({ code, signal, ...(code !== 0 && tail.trim() ? { message: tail.trim() } : {}) });
    });
  });
  const container: Container = {
    pid: child.pid,
    exited,
    signal(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };

  return new Promise<Container>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the container did not listen within ${options.startTimeoutMs ?? 15_000} ms`));
    }, options.startTimeoutMs ?? 15_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then((info) => {
      clearTimeout(timer);
      reject(new Error(`the container exited before listening (${info.signal ?? `code ${info.code}`})${info.message ? `: ${info.message}` : ''}`));
    });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      keep(Buffer.from(`${line}\n`));
      if (line.startsWith('{') && line.includes('"listening"')) {
        clearTimeout(timer);
        resolve(container);
      }
    });
  });
}
