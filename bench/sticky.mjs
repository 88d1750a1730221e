// verify-sticky: 1,000 fresh-connection requests through a real HAProxy (cookie SERVERID insert,
// roundrobin) in front of three reference gateways (DESIGN.md §5 target: ≤ 2 s), against a
// keep-alive run of the same sampler in the same process, and the built CLI as a whole process.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, median, report, startGateway, timeProcess } from './lib.mjs';

const { createHttpSampler } = await import(`${ROOT}dist/sticky-sampler/http-sampler.js`);
const { verifySticky } = await import(`${ROOT}dist/ops/verify-sticky/index.js`);
const { systemClock } = await import(`${ROOT}dist/util/clock.js`);

const REQUESTS = Number(process.argv[2] ?? 1000);
const ROUNDS = 3;
const TARGET_MS = 2000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(port, child) {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`haproxy exited with ${child.exitCode}`));
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => { socket.destroy(); resolve(); });
      socket.once('error', () => (Date.now() > deadline ? reject(new Error('haproxy did not listen')) : setTimeout(attempt, 50)));
    };
    attempt();
  });
}

async function startHaproxy(backends) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-sticky-'));
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, [
    'global', '    maxconn 4096',
    'defaults', '    mode http', '    timeout connect 5s', '    timeout client 30s', '    timeout server 30s',
    'frontend http_front', `    bind 127.0.0.1:${port}`, '    default_backend conduit_ws',
    'backend conduit_ws', '    balance roundrobin', '    cookie SERVERID insert indirect nocache',
    '    option httpchk GET /health', '    http-check expect status 200',
    ...backends.map((b, i) => `    server ${b.name} ${b.address}:${b.port} check cookie s${i + 1}`),
    '',
  ].join('\n'));
  const child = spawn('haproxy', ['-f', config, '-db'], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(port, child);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }).then(() => rmSync(dir, { recursive: true, force: true })),
  };
}

async function timeRun(url, reuseConnections) {
  const sampler = createHttpSampler({ url: `${url}/health`, cookies: true, reuseConnections, instanceFrom: { kind: 'json-field', path: 'instance' }, timeoutMs: 5000 });
  const started = performance.now();
  const result = await verifySticky({ requests: REQUESTS, clients: 1, sourceAddresses: [], concurrency: 1, tolerance: 0.2 }, sampler, systemClock, new AbortController().signal);
  const elapsed = performance.now() - started;
  if (result.verdict !== 'STICKY' || result.totals.answered !== REQUESTS) throw new Error(`unexpected result: ${result.verdict}: ${result.reason}`);
  return { elapsed, connections: result.totals.connections };
}

const gateway = await startGateway(['--instances', '3', '--base-ip', '127.0.64.1', '--port', '0', '--admin-port', '0', '--tick-ms', '0']);
let lb;
try {
  lb = await startHaproxy(gateway.instances);
  await timeRun(lb.url, false); // warm-up: JIT, HAProxy's first connections
  const fresh = [];
  const keepAlive = [];
  let freshConnections = 0;
  let keepAliveConnections = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const f = await timeRun(lb.url, false);
    const k = await timeRun(lb.url, true);
    fresh.push(f.elapsed);
    keepAlive.push(k.elapsed);
    freshConnections = f.connections;
    keepAliveConnections = k.connections;
  }
  const cli = timeProcess(process.execPath, [CLI, 'verify-sticky', lb.url, '--requests', String(REQUESTS), '-o', 'json']);
  const freshMs = median(fresh);
  const keepAliveMs = median(keepAlive);
  report(`verify-sticky: ${REQUESTS} requests through HAProxy, one client (medians of ${ROUNDS})`, [
    [`fresh connections (${freshConnections})`, `${freshMs.toFixed(0)} ms`],
    [`keep-alive (${keepAliveConnections} connection${keepAliveConnections === 1 ? "" : "s"})`, `${keepAliveMs.toFixed(0)} ms`],
    ['ratio fresh / keep-alive', `${(freshMs / keepAliveMs).toFixed(2)}×`],
    ['conduitctl verify-sticky (process, fresh)', `${cli.toFixed(0)} ms`],
    [`target ≤ ${TARGET_MS} ms (fresh, in process)`, freshMs <= TARGET_MS ? 'met' : 'MISSED'],
  ]);
} finally {
  await lb?.stop();
  await gateway.stop();
}
