// probe: hold 15,000 WebSocket connections from one process against reference gateways (several
// processes on 127.41.2.x: a process may hold 20,000 files). Three clients, each in its own process
// so its RSS is its own: a bare `ws` loop (the baseline), the probe pool, and Artillery 2's ws
// engine. Baseline and pool alternate; connect rate and RSS per connection are medians, as ratios
// to the baseline of the same run. Targets: rate ≥ 0.85×, memory ≤ 1.2× the bare loop; ≥ 1.5×
// leaner per connection than Artillery. Artillery is installed into ~/.cache/conduitctl-bench.
// Pool and bare loop are also measured after a full GC (--expose-gc), which takes the garbage of
// 15,000 handshakes out of the comparison; Artillery cannot be asked to collect, so its numbers
// (and the pool's beside them) are without. A third run per round, the pool with pings every 60 s instead of 5 s, shows what pinging costs
// while 15,000 connections open (the gateways answer every ping on the same machine).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { median, report, ROOT, startGateway } from './lib.mjs';

const CONNECTIONS = Number(process.env.BENCH_PROBE_CONNECTIONS ?? 15_000);
const ROUNDS = Number(process.env.BENCH_PROBE_ROUNDS ?? 3);
const ARTILLERY_ROUNDS = Number(process.env.BENCH_PROBE_ARTILLERY_ROUNDS ?? 1);
const GATEWAYS = 4;
const RATE = Number(process.env.BENCH_PROBE_RATE ?? 5_000);
const HOLD_DEADLINE_MS = 120_000;
const SETTLE_MS = 3_000;
const ARTILLERY_DIR = join(homedir(), '.cache', 'conduitctl-bench', 'artillery');
const ARTILLERY_BIN = join(ARTILLERY_DIR, 'node_modules', '.bin', 'artillery');
const started = [];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** RSS of a process and its descendants, in bytes (Linux /proc). */
function treeRss(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // gone
    }
  }
  let total = 0;
  const queue = [pid];
  while (queue.length) {
    const p = queue.pop();
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1];
      total += Number(kb ?? 0) * 1024;
    } catch {
      // gone
    }
    queue.push(...(children.get(p) ?? []));
  }
  return total;
}

async function sampledRss(pid, samples = 5) {
  const values = [];
  for (let i = 0; i < samples; i += 1) {
    values.push(treeRss(pid));
    await sleep(200);
  }
  return median(values);
}

async function activeOnGateways(gateways) {
  let sum = 0;
  for (const { address, adminPort } of gateways) {
    const response = await fetch(`http://${address}:${adminPort}/v1/metrics`);
    sum += (await response.json()).ws.connections.active;
  }
  return sum;
}

async function waitForActive(gateways, predicate, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const active = await activeOnGateways(gateways);
    if (predicate(active)) return active;
    if (Date.now() > deadline) return active;
    await sleep(100);
  }
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** One run of the pool or the bare loop: idle RSS, time to hold every connection, held RSS. */
async function runClient(mode, gateways, env = {}) {
  const urls = gateways.map((g) => `ws://${g.address}:${g.port}/v1/subscribe`).join(',');
  const child = spawn(process.execPath, ['--expose-gc', join(ROOT, 'bench', 'probe-client.mjs'), mode, String(CONNECTIONS), String(RATE), urls, String(HOLD_DEADLINE_MS)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  started.push(child);
  const events = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse((await events.next()).value);
  try {
    if ((await next()).event !== 'ready') throw new Error(`${mode}: no ready line`);
    await sleep(500);
    child.stdin.write('gc\n');
    await next();
    const idleCollected = await sampledRss(child.pid);
    const idle = idleCollected;
    child.stdin.write('go\n');
    const held = await next();
    if (held.held < CONNECTIONS) throw new Error(`${mode}: held ${held.held} of ${CONNECTIONS} (failed attempts ${held.failed}) in ${HOLD_DEADLINE_MS} ms`);
    await sleep(SETTLE_MS);
    const full = await sampledRss(child.pid);
    child.stdin.write('gc\n');
    await next();
    const fullCollected = await sampledRss(child.pid);
    return { collected: (fullCollected - idleCollected) / CONNECTIONS, rate: CONNECTIONS / (held.ms / 1000), cpuPerConnectionMs: held.cpuMs / CONNECTIONS, perConnection: (full - idle) / CONNECTIONS, total: full / CONNECTIONS, idle, full };
  } finally {
    child.stdin.end('stop\n');
    await stopChild(child);
    await waitForActive(gateways, (n) => n === 0, 30_000);
  }
}

function ensureArtillery() {
  if (existsSync(ARTILLERY_BIN)) return;
  mkdirSync(ARTILLERY_DIR, { recursive: true });
  if (!existsSync(join(ARTILLERY_DIR, 'package.json'))) writeFileSync(join(ARTILLERY_DIR, 'package.json'), '{"name":"conduitctl-bench-artillery","private":true}\n');
  console.log(`installing artillery@2 into ${ARTILLERY_DIR} (once)…`);
  const npm = spawnSync('npm', ['i', '--no-audit', '--no-fund', 'artillery@2'], {
    cwd: ARTILLERY_DIR,
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
    timeout: 600_000,
  });
  if (npm.status !== 0 || !existsSync(ARTILLERY_BIN)) throw new Error('npm i artillery@2 failed');
}

/** Artillery 2 (ws engine) holding the same connections: one VU per connection, each connects and thinks. */
async function runArtillery(gateways) {
  const dir = mkdtempSync(join(tmpdir(), 'conduit-bench-artillery-'));
  const arrivalSeconds = Math.max(5, Math.ceil(CONNECTIONS / 1500));
  const script = {
    config: {
      target: `ws://${gateways[0].address}:${gateways[0].port}`,
      phases: [{ pause: 8 }, { duration: arrivalSeconds, arrivalCount: CONNECTIONS }],
    },
    scenarios: gateways.map((g) => ({
      engine: 'ws',
      weight: 1,
      flow: [{ connect: `ws://${g.address}:${g.port}/v1/subscribe` }, { think: 600 }],
    })),
  };
  writeFileSync(join(dir, 'hold.json'), JSON.stringify(script));
  const child = spawn(process.execPath, [ARTILLERY_BIN, 'run', join(dir, 'hold.json')], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: '1' },
  });
  started.push(child);
  let stderr = '';
  child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-4000)));
  try {
    // Idle: the last RSS seen before the first connection reaches a gateway.
    let idle = 0;
    const deadline = Date.now() + 60_000;
    while ((await activeOnGateways(gateways)) === 0) {
      if (child.exitCode !== null) throw new Error(`artillery exited with ${child.exitCode}: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`artillery opened nothing in 60 s: ${stderr}`);
      idle = treeRss(child.pid);
      await sleep(100);
    }
    const reached = await waitForActive(gateways, (n) => n >= CONNECTIONS, HOLD_DEADLINE_MS);
    if (reached < CONNECTIONS) throw new Error(`artillery held ${reached} of ${CONNECTIONS}`);
    await sleep(SETTLE_MS);
    const full = await sampledRss(child.pid);
    return { perConnection: (full - idle) / CONNECTIONS, total: full / CONNECTIONS, idle, full };
  } finally {
    await stopChild(child);
    await waitForActive(gateways, (n) => n === 0, 30_000);
    rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const ratio = (x) => `${x.toFixed(2)}×`;
const verdict = (ok) => (ok ? 'met' : 'MISSED');

const gatewayProcesses = [];
try {
  ensureArtillery();
  for (let i = 0; i < GATEWAYS; i += 1) {
    gatewayProcesses.push(await startGateway(['--bind', `127.41.2.${i + 1}`, '--name', `bench-${i}`, '--port', '0', '--admin-port', '0', '--tick-ms', '0']));
  }
  const gateways = gatewayProcesses.map((g) => g.instances[0]);
  const bare = [];
  const pool = [];
  const artillery = [];
  const quiet = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    // Alternate which goes first, so neither always meets a warmer (or more tired) machine.
    const order = round % 2 === 0 ? ['bare', 'pool', 'quiet'] : ['quiet', 'pool', 'bare'];
    for (const mode of order) {
      if (mode === 'bare') bare.push(await runClient('bare', gateways));
      else if (mode === 'pool') pool.push(await runClient('pool', gateways));
      // The pool as `probe` runs it pings every 5 s; this run shows what those pings cost while connecting.
      else quiet.push(await runClient('pool', gateways, { BENCH_PROBE_PING_MS: '60000' }));
    }
    if (round < ARTILLERY_ROUNDS) artillery.push(await runArtillery(gateways));
  }
  const m = (runs, key) => median(runs.map((r) => r[key]));
  const rateRatio = m(pool, 'rate') / m(bare, 'rate');
  const memoryRatio = m(pool, 'perConnection') / m(bare, 'perConnection');
  const leanerMarginal = m(artillery, 'perConnection') / m(pool, 'perConnection');
  const leanerTotal = m(artillery, 'total') / m(pool, 'total');
  const mb = (bytes) => `${Math.round(bytes / 1048576)} MB`;
  const runs = (label, list) => `${label} ${list.map((r) => `${r.rate ? `${Math.round(r.rate)}/s ` : ''}${mb(r.idle)}→${mb(r.full)}`).join(', ')}`;
  report(`probe: ${CONNECTIONS} connections held from one process, ${GATEWAYS} gateway processes (${ROUNDS} rounds alternating, medians; Artillery ${artillery.length})`, [
    ['bare ws loop: connect rate', `${Math.round(m(bare, 'rate'))}/s (client CPU ${m(bare, 'cpuPerConnectionMs').toFixed(3)} ms per connection)`],
    ['bare ws loop: RSS per connection', `${kb(m(bare, 'perConnection'))} (RSS held − RSS idle) / N; ${kb(m(bare, 'total'))} RSS / N`],
    ['probe pool: connect rate', `${Math.round(m(pool, 'rate'))}/s = ${ratio(rateRatio)} the bare loop (target ≥ 0.85×: ${verdict(rateRatio >= 0.85)}); client CPU ${m(pool, 'cpuPerConnectionMs').toFixed(3)} ms per connection`],
    ['probe pool, pings every 60 s: connect rate', `${Math.round(m(quiet, 'rate'))}/s = ${ratio(m(quiet, 'rate') / m(bare, 'rate'))} the bare loop; client CPU ${m(quiet, 'cpuPerConnectionMs').toFixed(3)} ms per connection`],
    ['probe pool: RSS per connection', `${kb(m(pool, 'perConnection'))} = ${ratio(memoryRatio)} the bare loop (target ≤ 1.2×: ${verdict(memoryRatio <= 1.2)}); ${kb(m(pool, 'total'))} RSS / N`],
    ['RSS per connection after a full GC', `bare ${kb(m(bare, 'collected'))} · pool ${kb(m(pool, 'collected'))} = ${ratio(m(pool, 'collected') / m(bare, 'collected'))} (target ≤ 1.2×: ${verdict(m(pool, 'collected') / m(bare, 'collected') <= 1.2)}) · pool 60 s pings ${kb(m(quiet, 'collected'))}`],
    ['Artillery 2 ws engine: RSS per connection', artillery.length ? `${kb(m(artillery, 'perConnection'))} (held − idle) / N; ${kb(m(artillery, 'total'))} RSS / N` : 'not run'],
    ['probe pool vs Artillery, (held − idle) / N', artillery.length ? `${ratio(leanerMarginal)} leaner (target ≥ 1.5×: ${verdict(leanerMarginal >= 1.5)})` : '-'],
    ['probe pool vs Artillery, RSS / N', artillery.length ? `${ratio(leanerTotal)} leaner (target ≥ 1.5×: ${verdict(leanerTotal >= 1.5)})` : '-'],
    ['runs (rate, RSS idle → held)', `${runs('bare', bare)} · ${runs('pool', pool)} · ${runs('pool 60 s pings', quiet)} · ${runs('artillery', artillery)}`],
  ]);
} finally {
  await Promise.all(started.map(stopChild));
  await Promise.all(gatewayProcesses.map((g) => g.stop()));
}
