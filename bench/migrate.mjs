// migrate: 10,000 connections moved off one reference gateway at --rate 2000/s with a reconnect
// window of 0–500 ms (so the pacing, not the jitter, is measured), against reference 001's loop in
// the same run: batches of 1,000 back to back with 100 ms sleeps, every client told to come back
// after exactly 1 s. Measured: wall time vs count/rate; the peak reconnect rate at the receivers over
// any 1 s window — from their own `connections.total` counters, sampled every ~20 ms by a worker
// thread (accept-watcher.mjs), and, as a cross-check, from the moment each moved client's hello
// reaches the client — vs the rate; and silent drops (a close without a notice, or a reconnect
// that failed). Each gateway is its own process, as each pod is. One unmeasured warm-up round of
// each way runs first: cold gateways and a cold client lag in the first second and then accept
// the backlog in a bunch, which measures the JIT, not the pacing. Rounds alternate.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import { CLI, median, report, startGateway } from './lib.mjs';

const COUNT = Number(process.argv[2] ?? 10_000);
const RATE = 2000;
const ROUNDS = Number(process.argv[3] ?? 3);
const WARM_UP_COUNT = Math.min(COUNT, 2000);
const UNPACED_BATCH = 1000;
// This bench's loopback range: gateways 127.45.40.x; clients 127.45.41–127.45.60.x, a /24 per run.
// The clients of a run spread over 100 source addresses: 20,000 sockets (10,000 plus their
// reconnects) bound to one address make every bind() search the ephemeral ports, which stalls the
// client for seconds and bunches its reconnects.
const SOURCE_ADDRESSES = 100;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** COUNT clients on `url` that follow a migrating notice to new_endpoint after reconnect_after. */
async function openSwarm(url, count, subnet) {
  let opened = 0;
  const stats = { silent: 0, failed: 0, moved: 0, arrived: 0, arrivals: [] };
  const sockets = new Set();
  let stopping = false;
  const connect = (target, moved) =>
    new Promise((resolve, reject) => {
      const localAddress = `${subnet}.${1 + (opened++ % SOURCE_ADDRESSES)}`;
      const ws = new WebSocket(target, { perMessageDeflate: false, localAddress, handshakeTimeout: 20_000 });
      sockets.add(ws);
      let hello = false;
      let notice;
      ws.on('message', (data) => {
        const message = JSON.parse(data.toString());
        if (message.type === 'hello') {
          hello = true;
          if (moved) {
            stats.arrived += 1;
            stats.arrivals.push(performance.now());
          }
          resolve();
        } else if (message.type === 'status') notice = message;
      });
      ws.on('error', (error) => { if (!hello) reject(error); });
      ws.on('close', (code) => {
        sockets.delete(ws);
        if (stopping || !hello) return;
        if (notice?.status === 'migrating' && code === 1012) {
          stats.moved += 1;
          setTimeout(() => connect(notice.details.new_endpoint, true).catch(() => (stats.failed += 1)), notice.details.reconnect_after);
        } else stats.silent += 1;
      });
    });
  for (let done = 0; done < count; done += 500) {
    await Promise.all(Array.from({ length: Math.min(500, count - done) }, () => connect(url, false)));
  }
  return {
    stats,
    async stop() {
      stopping = true;
      for (const ws of sockets) ws.terminate();
      while (sockets.size) await sleep(20);
    },
  };
}

async function metrics(adminUrl) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      // A fresh connection each time: a kept-alive one may be closed by the gateway mid-request.
      const body = await (await fetch(`${adminUrl}/v1/metrics`, { headers: { connection: 'close' } })).json();
      return body.ws.connections;
    } catch (error) {
      if (attempt >= 5) throw error;
      await sleep(50);
    }
  }
}

/** Samples the receivers' accept counters until stop() resolves with [[ms, Σ total], …]. */
function watchAccepts(adminUrls) {
  const worker = new Worker(new URL('./accept-watcher.mjs', import.meta.url), { workerData: adminUrls });
  return {
    stop: () =>
      new Promise((resolve) => {
        worker.once('message', (samples) => worker.terminate().then(() => resolve(samples)));
        worker.postMessage('stop');
      }),
  };
}

/** The most connections the receivers accepted between two samples at most 1 s apart. */
function peakFromCounters(samples) {
  let peak = 0;
  for (let i = 0, j = 0; j < samples.length; j += 1) {
    while (samples[j][0] - samples[i][0] > 1000) i += 1;
    peak = Math.max(peak, samples[j][1] - samples[i][1]);
  }
  return peak;
}

/** The most moved clients whose hello reached the client within any 1 s window. */
function peakPerSecond(arrivals) {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; j < sorted.length; j += 1) {
    while (sorted[j] - sorted[i] > 1000) i += 1;
    peak = Math.max(peak, j - i + 1);
  }
  return peak;
}

function runCli(args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.once('close', (code) => (process.env.BENCH_DEBUG && console.error(err), code === 0 ? resolve({ wallMs: performance.now() - started, report: JSON.parse(out) }) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

/** Reference 001's migrate_connections: batches back to back, 100 ms apart, reconnect_after 1000. */
async function unpacedLoop(adminUrl, targets) {
  const started = performance.now();
  for (let i = 0, moved = Infinity; moved > 0; i += 1) {
    const answer = await fetch(`${adminUrl}/admin/migrate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify({ count: UNPACED_BATCH, targets: [targets[i % targets.length]], reconnectAfterMs: 1000, jitterMs: 0 }),
    });
    moved = (await answer.json()).migrated;
    await sleep(100);
  }
  return performance.now() - started;
}

const gateways = await Promise.all([0, 1, 2].map((i) => startGateway(['--name', `conduit-${i}`, '--bind', `127.45.40.${i + 1}`, '--port', '0', '--admin-port', '0', '--tick-ms', '0'])));
const gateway = { instances: gateways.flatMap((g) => g.instances), stop: () => Promise.all(gateways.map((g) => g.stop())) };
const admin = gateway.instances.map((i) => `http://${i.address}:${i.adminPort}`);
const ws = gateway.instances.map((i) => `ws://${i.address}:${i.port}/v1/subscribe`);
const dir = mkdtempSync(join(tmpdir(), 'bench-migrate-'));
const fleet = join(dir, 'fleet.yaml');
writeFileSync(fleet, `instances:\n${gateway.instances.map((inst, i) => `  - name: ${inst.name}\n    admin: ${admin[i]}\n    ws: ${ws[i]}`).join('\n')}\n`);

const results = { paced: [], unpaced: [] };
let runs = 0;
try {
  for (let round = -1; round < ROUNDS; round += 1) {
    const count = round < 0 ? WARM_UP_COUNT : COUNT;
    for (const way of round % 2 ? ['unpaced', 'paced'] : ['paced', 'unpaced']) {
      const swarm = await openSwarm(ws[2], count, `127.45.${41 + runs++}`);
      const watcher = watchAccepts([admin[0], admin[1]]);
      let migrationMs;
      let wallMs;
      if (way === 'paced') {
        const run = await runCli(['migrate', 'conduit-2', '--to', 'conduit-0', 'conduit-1', '--fleet', fleet, '--rate', `${RATE}/s`, '--reconnect-after', '0s-500ms', '-o', 'json', ...(process.env.BENCH_DEBUG ? ['-v'] : [])]);
        migrationMs = run.report.elapsedMs;
        if (process.env.BENCH_DEBUG) console.error(JSON.stringify({ pauses: run.report.pauses, batches: run.report.batches.map((b) => [b.atMs, b.requested, b.migrated]) }));
        wallMs = run.wallMs;
        if (run.report.moved !== count) throw new Error(`paced run moved ${run.report.moved}`);
      } else {
        migrationMs = wallMs = await unpacedLoop(admin[2], [ws[0], ws[1]]);
      }
      const deadline = Date.now() + 60_000;
      while (swarm.stats.arrived + swarm.stats.failed < count && Date.now() < deadline) await sleep(100);
      const peak = peakFromCounters(await watcher.stop());
      const clientPeak = peakPerSecond(swarm.stats.arrivals);
      if (round >= 0) results[way].push({ migrationMs, wallMs, peak, clientPeak, silent: swarm.stats.silent, failed: swarm.stats.failed, arrived: swarm.stats.arrived });
      await swarm.stop();
      while ((await Promise.all(admin.map(metrics))).some((m) => m.active > 0)) await sleep(100);
    }
  }
} finally {
  await gateway.stop();
  rmSync(dir, { recursive: true, force: true });
}

const med = (way, key) => median(results[way].map((r) => r[key]));
const ideal = (COUNT / RATE) * 1000;
report(`migrate: ${COUNT} connections, --rate ${RATE}/s --reconnect-after 0s-500ms vs reference 001's loop (batches of ${UNPACED_BATCH}, 100 ms sleeps, reconnect_after 1000), ${ROUNDS} rounds each, medians`, [
  ['count / rate', `${(ideal / 1000).toFixed(2)} s`],
  ['paced: migration time (report.elapsedMs)', `${(med('paced', 'migrationMs') / 1000).toFixed(2)} s = ${(med('paced', 'migrationMs') / ideal).toFixed(3)}× count/rate`],
  ['paced: CLI wall time (process start to exit)', `${(med('paced', 'wallMs') / 1000).toFixed(2)} s = ${(med('paced', 'wallMs') / ideal).toFixed(3)}× count/rate`],
  ['paced: peak reconnects at receivers, any 1 s', `${med('paced', 'peak')}/s = ${(med('paced', 'peak') / RATE).toFixed(3)}× the rate (rounds: ${results.paced.map((r) => (r.peak / RATE).toFixed(2)).join(', ')})`],
  ['paced: same, from the hellos seen by the clients', `${med('paced', 'clientPeak')}/s = ${(med('paced', 'clientPeak') / RATE).toFixed(3)}× the rate`],
  ['paced: silent drops / failed reconnects', `${results.paced.map((r) => r.silent).join(',')} / ${results.paced.map((r) => r.failed).join(',')}`],
  ['unpaced: loop time', `${(med('unpaced', 'migrationMs') / 1000).toFixed(2)} s`],
  ['unpaced: peak reconnects at receivers, any 1 s', `${med('unpaced', 'peak')}/s = ${(med('unpaced', 'peak') / RATE).toFixed(3)}× the rate`],
  ['unpaced: same, from the hellos seen by the clients', `${med('unpaced', 'clientPeak')}/s = ${(med('unpaced', 'clientPeak') / RATE).toFixed(3)}× the rate`],
  ['unpaced: silent drops / failed reconnects', `${results.unpaced.map((r) => r.silent).join(',')} / ${results.unpaced.map((r) => r.failed).join(',')}`],
  ['peak ratio unpaced / paced', `${(med('unpaced', 'peak') / med('paced', 'peak')).toFixed(2)}×`],
]);
