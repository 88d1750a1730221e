// `conduitctl status sts/conduit` over a 200-pod StatefulSet in kube-sim (gateways reached through
// the API server's pods/proxy), against the runbook way measured in the same run: one
// `kubectl get --raw …/pods/NAME:9087/proxy/v1/metrics` per pod, in sequence. Target ≥ 20×.
// The ceiling row runs the same requests from a library-free script (minimal-status-client.mjs):
// on 2 cores shared with kube-sim and 200 gateways, that is the most any process can reach. Target:
// conduitctl within 1.3× of it on Node 24, 1.5× on Node 20.
// Usage: node bench/status-kube.mjs [PODS] [--node PATH]...   (each --node measured, alternating)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, ROOT, median, nodesFromArgs, report, timeProcessAsync } from './lib.mjs';

const MINIMAL_CLIENT = fileURLToPath(new URL('minimal-status-client.mjs', import.meta.url));

const { startSandboxWorld } = await import(`${ROOT}dist/sandbox/world.js`);
const PODS = Number(/^\d+$/.test(process.argv[2] ?? '') ? process.argv[2] : 200);
const nodes = nodesFromArgs(process.argv);
const ROUNDS = 5;
const dir = mkdtempSync(join(tmpdir(), 'bench-status-kube-'));
const world = await startSandboxWorld({
  podCidr: '127.0.150.0/24',
  serviceCidr: '127.0.151.0/24',
  mode: 'in-process',
  // Readiness every 10 s, Kubernetes' default: on a real cluster 200 kubelets probe their own pods,
  // here kube-sim's process would do it and take CPU from the API server being measured.
  manifests: { replicas: PODS, podManagementPolicy: 'Parallel', preStopCommand: null, gatewayArgs: ['--tick-ms', '0'], readinessPeriodSeconds: 10 },
});
try {
  const started = performance.now();
  await world.waitUntilReady(120_000);
  const readyMs = performance.now() - started;
  const kubeconfig = world.kubeconfigPath;
  const env = { ...process.env, KUBECACHEDIR: join(dir, 'kubectl-cache') };

  const runs = new Map(nodes.map((node) => [node, { status: [], minimal: [], bare: [] }]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const node of nodes) {
      const { status, minimal, bare } = runs.get(node);
      status.push(await timeProcessAsync(node.path, [CLI, 'status', 'sts/conduit', '-n', world.namespace, '--kubeconfig', kubeconfig, '-o', 'json'], { env }));
      minimal.push(await timeProcessAsync(node.path, [MINIMAL_CLIENT, kubeconfig, world.namespace, 'conduit'], { env }));
      bare.push(await timeProcessAsync(node.path, ['-e', '0'], { env }));
    }
  }

  const loopStarted = performance.now();
  for (let i = 0; i < PODS; i++) {
    await timeProcessAsync('kubectl', ['--kubeconfig', kubeconfig, 'get', '--raw', `/api/v1/namespaces/${world.namespace}/pods/conduit-${i}:9087/proxy/v1/metrics`], { env });
  }
  const loopMs = performance.now() - loopStarted;

  const rows = [['kubectl get --raw per pod, in sequence', `${loopMs.toFixed(0)} ms`]];
  for (const node of nodes) {
    const { status, minimal, bare } = runs.get(node);
    const target = Number(node.label.match(/v(\d+)/)?.[1]) >= 24 ? 1.3 : 1.5;
    rows.push(
      [`${node.label}: conduitctl status (median of ${ROUNDS})`, `${median(status).toFixed(0)} ms`],
      [`${node.label}: vs kubectl loop (target ≥ 20×)`, `${(loopMs / median(status)).toFixed(1)}×`],
      [`${node.label}: library-free client, same requests`, `${median(minimal).toFixed(0)} ms (${(loopMs / median(minimal)).toFixed(1)}×)`],
      [`${node.label}: conduitctl / library-free (≤ ${target}×)`, `${(median(status) / median(minimal)).toFixed(2)}×`],
      [`${node.label}: node -e 0${process.env.NODE_EXTRA_CA_CERTS ? ' (NODE_EXTRA_CA_CERTS set)' : ''}`, `${median(bare).toFixed(0)} ms`],
    );
  }
  report(`status over a ${PODS}-pod StatefulSet in kube-sim, via pods/proxy (fleet Ready in ${(readyMs / 1000).toFixed(1)} s)`, rows);
} finally {
  await world.close();
  rmSync(dir, { recursive: true, force: true });
}
