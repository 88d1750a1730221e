// The sandbox's footprint and scale: `sandbox up` time and the RSS of the daemon plus its pod
// processes (from /proc; target < 400 MB for 3 replicas), then how long a 200-pod in-process
// fleet takes to be Ready (target < 30 s). Needs a build (npx tsc -p tsconfig.json).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, report, timeProcess } from './lib.mjs';

function rssKb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line.replace(/\D+/g, ''));
}

const stateDir = join(mkdtempSync(join(tmpdir(), 'bench-sandbox-')), 'state');
const where = ['--state-dir', stateDir];
let upMs;
let daemonKb;
let podKbs;
try {
  upMs = timeProcess(process.execPath, [CLI, 'sandbox', 'up', ...where, '--pod-cidr', '127.0.140.0/24', '--service-cidr', '127.0.141.0/24']);
  const state = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8'));
  daemonKb = rssKb(state.pid);
  podKbs = state.pods.map((p) => rssKb(p.pid));
} finally {
  timeProcess(process.execPath, [CLI, 'sandbox', 'down', ...where]);
  rmSync(join(stateDir, '..'), { recursive: true, force: true });
}

const { startSandboxWorld } = await import(join(ROOT, 'dist/sandbox/world.js'));
const started = performance.now();
const world = await startSandboxWorld({
  mode: 'in-process',
  podCidr: '127.0.142.0/24',
  serviceCidr: '127.0.143.0/24',
  manifests: { replicas: 200, podManagementPolicy: 'Parallel', preStopCommand: null, gatewayArgs: ['--tick-ms', '0'] },
});
let fleetMs;
try {
  await world.waitUntilReady(120_000);
  fleetMs = performance.now() - started;
} finally {
  await world.close();
}

const mb = (kb) => `${(kb / 1024).toFixed(1)} MB`;
const total = daemonKb + podKbs.reduce((a, b) => a + b, 0);
report('sandbox', [
  ['sandbox up (3 replicas, until every pod is Ready; target < 10 s)', `${(upMs / 1000).toFixed(2)} s`],
  ['daemon RSS (kube-sim, controllers, kubelet, proxy)', mb(daemonKb)],
  ...podKbs.map((kb, i) => [`conduit-${i} RSS`, mb(kb)]),
  ['total RSS (target < 400 MB)', mb(total)],
  ['200-pod in-process fleet Ready (target < 30 s)', `${(fleetMs / 1000).toFixed(2)} s`],
  ['process RSS after the 200-pod fleet', mb(process.memoryUsage().rss / 1024)],
]);
