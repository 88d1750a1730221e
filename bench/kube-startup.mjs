// The fixed cost of a Kubernetes command: from spawning `conduitctl status sts/conduit` to its first
// request arriving at the API server (kube-sim, in this process, timestamps its request log), against
// `node -e 0` and `kubectl version --client` (whole processes), measured alternately in the same run.
// Usage: node bench/kube-startup.mjs [--node PATH]... [--runs N]   (default: this node, 15 runs)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, median, nodesFromArgs, optionFromArgs, report, timeProcessAsync } from './lib.mjs';

const { startKubeSim } = await import(`${ROOT}dist/sandbox/kube-sim/index.js`);
const nodes = nodesFromArgs(process.argv);
const RUNS = Number(optionFromArgs(process.argv, '--runs') ?? 15);

const dir = mkdtempSync(join(tmpdir(), 'bench-kube-startup-'));
const sim = await startKubeSim({ host: '127.46.30.1' });
try {
  const kubeconfig = join(dir, 'config');
  await sim.writeKubeconfig(kubeconfig, { namespace: 'default' });
  sim.store.create('StatefulSet', {
    metadata: { name: 'conduit', namespace: 'default' },
    spec: { replicas: 0, serviceName: 'conduit', selector: { matchLabels: { app: 'conduit' } }, template: { metadata: { labels: { app: 'conduit' } }, spec: { containers: [{ name: 'gw', image: 'conduit' }] } } },
  });
  const env = { ...process.env, KUBECACHEDIR: join(dir, 'kubectl-cache') };

  /** ms from spawn to the first API request the process makes; the process then runs to its end. */
  async function firstRequest(node) {
    sim.controls.clearRequestLog();
    const spawnedAt = Date.now();
    const child = spawn(node, [CLI, 'status', 'sts/conduit', '--kubeconfig', kubeconfig, '-o', 'json'], { env, stdio: 'ignore' });
    await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    const first = sim.requestLog()[0];
    if (!first) throw new Error('the CLI made no API request');
    return Date.parse(first.time) - spawnedAt;
  }

  const rows = new Map();
  const add = (label, ms) => rows.set(label, [...(rows.get(label) ?? []), ms]);
  for (let r = 0; r < RUNS; r++) {
    for (const node of nodes) {
      add(`${node.label}: conduitctl start → first API request`, await firstRequest(node.path));
      add(`${node.label}: node -e 0`, await timeProcessAsync(node.path, ['-e', '0'], { env }));
    }
    add('kubectl version --client', await timeProcessAsync('kubectl', ['version', '--client'], { env }));
  }

  const lines = [];
  for (const node of nodes) {
    const first = median(rows.get(`${node.label}: conduitctl start → first API request`));
    const bare = median(rows.get(`${node.label}: node -e 0`));
    lines.push([`${node.label}: start → first API request`, `${first.toFixed(0)} ms`]);
    lines.push([`${node.label}: node -e 0`, `${bare.toFixed(0)} ms (first request at ${(first / bare).toFixed(2)}×)`]);
  }
  const kubectl = median(rows.get('kubectl version --client'));
  lines.push(['kubectl version --client (whole process)', `${kubectl.toFixed(0)} ms`]);
  for (const node of nodes) {
    const first = median(rows.get(`${node.label}: conduitctl start → first API request`));
    lines.push([`${node.label}: first request vs kubectl --client`, `${(first / kubectl).toFixed(2)}×`]);
  }
  report(`fixed cost of a Kubernetes command (${RUNS} runs each, alternating, medians${process.env.NODE_EXTRA_CA_CERTS ? '; NODE_EXTRA_CA_CERTS is set' : ''})`, lines);
} finally {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
