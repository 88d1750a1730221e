// Shared helpers for the benchmark scripts: timing, statistics, and starting the reference gateway.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = `${ROOT}dist/conduitctl.js`;
export const GATEWAY = `${ROOT}dist/reference-gateway/main.js`;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall time of one synchronous child process, in ms. */
export function timeProcess(command, args, options = {}) {
  const started = performance.now();
  const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

/** Like timeProcess, without blocking this process's event loop (it may host the servers). */
export function timeProcessAsync(command, args, options = {}) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(performance.now() - started);
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`));
    });
  });
}

/** Start `conduit-gateway` with args; resolves with the listening instances and a stop(). */
export async function startGateway(args) {
  const child = spawn(process.execPath, [GATEWAY, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const instances = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('"listening"')) resolve(JSON.parse(line).instances);
    });
  });
  return {
    instances,
    stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGKILL'); }),
  };
}

export function report(title, rows) {
  console.log(`\n${title}`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(52)} ${value}`);
}

/** The value after `name` in argv (`--runs 5`), or undefined. */
export function optionFromArgs(argv, name) {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

/**
 * The Node binaries to measure: every `--node PATH` in argv (e.g. ~/.cache/node24/node_modules/.bin/node),
 * else the one running the bench. Each with its version as a label.
 */
export function nodesFromArgs(argv) {
  const paths = argv.flatMap((arg, i) => (arg === '--node' && argv[i + 1] ? [argv[i + 1]] : []));
  return (paths.length > 0 ? paths : [process.execPath]).map((path) => {
    const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (!version) throw new Error(`${path} is not a node binary`);
    return { path, label: `node ${version}` };
  });
}
