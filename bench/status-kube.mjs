// `conduitctl status sts/conduit` over a 200-pod StatefulSet in kube-sim (gateways reached through
// the API server's pods/proxy), against the runbook way measured in the same run: one
// `kubectl get --raw …/pods/NAME:9087/proxy/v1/metrics` per pod, in sequence. Target ≥ 20×.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, median, report, timeProcessAsync } from './lib.mjs';

const { startSandboxWorld } = await import(`${ROOT}dist/sandbox/world.js`);
const PODS = Number(process.argv[2] ?? 200);
const ROUNDS = 3;
const dir = mkdtempSync(join(tmpdir(), 'bench-status-kube-'));
const world = await startSandboxWorld({
  podCidr: '127.0.150.0/24',
  serviceCidr: '127.0.151.0/24',
  mode: 'in-process',
  manifests: { replicas: PODS, podManagementPolicy: 'Parallel', preStopCommand: null, gatewayArgs: ['--tick-ms', '0'] },
});
try {
  const started = performance.now();
  await world.waitUntilReady(120_000);
  const readyMs = performance.now() - started;
  const kubeconfig = world.kubeconfigPath;
  const env = { ...process.env, KUBECACHEDIR: join(dir, 'kubectl-cache') };

  const statusRuns = [];
  for (let r = 0; r < ROUNDS; r++) {
    statusRuns.push(await timeProcessAsync(process.execPath, [CLI, 'status', 'sts/conduit', '-n', world.namespace, '--kubeconfig', kubeconfig, '-o', 'json'], { env }));
  }

  const loopStarted = performance.now();
  for (let i = 0; i < PODS; i++) {
    await timeProcessAsync('kubectl', ['--kubeconfig', kubeconfig, 'get', '--raw', `/api/v1/namespaces/${world.namespace}/pods/conduit-${i}:9087/proxy/v1/metrics`], { env });
  }
  const loopMs = performance.now() - loopStarted;

  const status = median(statusRuns);
  report(`status over a ${PODS}-pod StatefulSet in kube-sim, via pods/proxy (fleet Ready in ${(readyMs / 1000).toFixed(1)} s)`, [
    [`conduitctl status (whole process, median of ${ROUNDS})`, `${status.toFixed(0)} ms`],
    ['kubectl get --raw per pod, in sequence', `${loopMs.toFixed(0)} ms`],
    ['ratio (target ≥ 20×)', `${(loopMs / status).toFixed(1)}×`],
  ]);
} finally {
  await world.close();
  rmSync(dir, { recursive: true, force: true });
}
