// The ceiling for bench/status-kube: the requests `conduitctl status sts/NAME` makes (the
// StatefulSet, its pods, then /health and /v1/metrics of every pod through pods/proxy, 32 at a
// time over keep-alive), written with node:https alone and no checks. No library loads, no
// flags, no output but a line count: what a process on this machine cannot beat.
// Usage: node minimal-status-client.mjs KUBECONFIG NAMESPACE STATEFULSET
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { parse } from 'yaml';

const [kubeconfigPath, namespace, name] = process.argv.slice(2);
const config = parse(readFileSync(kubeconfigPath, 'utf8'));
const context = config.contexts.find((c) => c.name === config['current-context']).context;
const cluster = config.clusters.find((c) => c.name === context.cluster).cluster;
const user = config.users.find((u) => u.name === context.user).user;
const agent = new https.Agent({ keepAlive: true, maxSockets: 32, ca: Buffer.from(cluster['certificate-authority-data'], 'base64') });
const headers = { authorization: `Bearer ${user.token}`, accept: 'application/json' };

function get(path) {
  return new Promise((resolve, reject) => {
    https
      .get(`${cluster.server}${path}`, { agent, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`${path}: ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

const statefulSet = await get(`/apis/apps/v1/namespaces/${namespace}/statefulsets/${name}`);
const selector = Object.entries(statefulSet.spec.selector.matchLabels).map(([k, v]) => `${k}=${v}`).join(',');
const pods = await get(`/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`);
const rows = await Promise.all(
  pods.items.map(async (pod) => {
    const proxy = `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}:9087/proxy`;
    const [health, metrics] = await Promise.all([get(`${proxy}/health`), get(`${proxy}/v1/metrics`)]);
    return `${pod.metadata.name} ${health.status} ${metrics.ws.connections.active}`;
  }),
);
console.log(rows.length);
agent.destroy();
