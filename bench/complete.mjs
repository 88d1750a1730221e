// What a TAB costs: `conduitctl __complete` for a command name (no Kubernetes client loaded) and for
// live pod names (kube-sim, 3 pods), against `node -e 0` and kubectl's own completion of the same
// pod names, measured alternately in the same run (medians). Budget: a live answer under 1 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, median, report, timeProcessAsync } from './lib.mjs';

const { startSandboxWorld } = await import(`${ROOT}dist/sandbox/world.js`);
const ROUNDS = Number(process.argv[2] ?? 11);
const dir = mkdtempSync(join(tmpdir(), 'bench-complete-'));
const world = await startSandboxWorld({ podCidr: '127.43.20.0/24', serviceCidr: '127.43.21.0/24', mode: 'in-process' });
try {
  await world.waitUntilReady(60_000);
  const env = { ...process.env, KUBECONFIG: world.kubeconfigPath, KUBECACHEDIR: join(dir, 'kubectl-cache') };
  const runs = { node: [], command: [], live: [], kubectl: [] };
  for (let r = 0; r < ROUNDS; r++) {
    runs.node.push(await timeProcessAsync(process.execPath, ['-e', '0'], { env }));
    runs.command.push(await timeProcessAsync(process.execPath, [CLI, '__complete', 'st'], { env }));
    runs.live.push(await timeProcessAsync(process.execPath, [CLI, '__complete', 'drain', 'conduit-'], { env }));
    runs.kubectl.push(await timeProcessAsync('kubectl', ['__complete', 'get', 'pods', '-n', world.namespace, 'conduit-'], { env }));
  }
  const m = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
  report(`completion (${ROUNDS} rounds, alternating, medians)`, [
    ['node -e 0', `${m.node.toFixed(1)} ms`],
    ['__complete st (commands)', `${m.command.toFixed(1)} ms  ${(m.command / m.node).toFixed(2)}× node`],
    ['__complete drain conduit- (live pods)', `${m.live.toFixed(1)} ms  ${(m.live / m.node).toFixed(2)}× node`],
    ['kubectl __complete get pods conduit-', `${m.kubectl.toFixed(1)} ms`],
    ['live / kubectl (a Go binary; for scale)', `${(m.live / m.kubectl).toFixed(2)}×`],
    ['slowest live answer (budget 1000 ms)', `${Math.max(...runs.live).toFixed(1)} ms`],
  ]);
} finally {
  await world.close();
  rmSync(dir, { recursive: true, force: true });
}
