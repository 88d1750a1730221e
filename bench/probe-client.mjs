// One client process of bench/probe.mjs: holds N WebSocket connections, either through the probe
// pool (`pool`) or as a bare `ws` loop (`bare`: new WebSocket, an error and close listener, no
// more). Both are paced the same way (rate/10 attempts every 100 ms) and count a connection as
// held once its hello arrived. Protocol on stdio: prints {"event":"ready"}, waits for "go",
// prints {"event":"held",…} once all are held (or at the deadline), exits on "stop" or stdin end.
import { createInterface } from 'node:readline';
import { ROOT } from './lib.mjs';

const [mode, countText, rateText, urlsText, deadlineText] = process.argv.slice(2);
const count = Number(countText);
const rate = Number(rateText);
const urls = urlsText.split(',');
const deadlineMs = Number(deadlineText ?? 120_000);
const POLL_MS = 100;
// BENCH_PROBE_PING_MS: the pool's ping interval (default: the pool's own, as `probe` runs it).
const pingOptions = process.env.BENCH_PROBE_PING_MS ? { pingIntervalMs: Number(process.env.BENCH_PROBE_PING_MS), pingTimeoutMs: 2 * Number(process.env.BENCH_PROBE_PING_MS) } : {};

const share = (i) => Math.floor(count / urls.length) + (i < count % urls.length ? 1 : 0);
const say = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

async function openPool() {
  const { createProbePool } = await import(`${ROOT}dist/probe/pool/index.js`);
  const pools = urls.map((url, i) => createProbePool({ url, connections: share(i), connectRatePerSecond: (rate * share(i)) / count, ...pingOptions }));
  return {
    start: () => pools.forEach((pool) => pool.start()),
    // openElsewhere(∅) counts open connections without building a snapshot (no garbage per poll).
    held: () => pools.reduce((sum, pool) => sum + pool.openElsewhere(new Set()), 0),
    failed: () => pools.reduce((sum, pool) => sum + pool.snapshot().failed, 0),
    stop: () => Promise.all(pools.map((pool) => pool.stop())),
  };
}

async function openBare() {
  const { default: WebSocket } = await import('ws');
  const sockets = [];
  let held = 0;
  let failed = 0;
  let timer;
  return {
    start() {
      let next = 0;
      const batch = Math.max(1, Math.ceil(rate / 10));
      const launch = () => {
        for (let k = 0; k < batch && next < count; k += 1, next += 1) {
          const ws = new WebSocket(urls[next % urls.length], { perMessageDeflate: false, handshakeTimeout: 10_000 });
          ws.once('message', () => (held += 1));
          ws.on('error', () => (failed += 1));
          sockets.push(ws);
        }
        if (next >= count) clearInterval(timer);
      };
      timer = setInterval(launch, 100);
      launch();
    },
    held: () => held,
    failed: () => failed,
    async stop() {
      clearInterval(timer);
      await Promise.all(sockets.map((ws) => new Promise((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', resolve);
        ws.close(1000);
        setTimeout(() => { ws.terminate(); resolve(); }, 3_000).unref();
      })));
    },
  };
}

const client = mode === 'pool' ? await openPool() : await openBare();
const input = createInterface({ input: process.stdin });
say({ event: 'ready' });
for await (const line of input) {
  if (line === 'go') {
    const started = performance.now();
    client.start();
    while (client.held() < count && performance.now() - started < deadlineMs) await new Promise((r) => setTimeout(r, POLL_MS));
    const cpu = process.cpuUsage();
    say({ event: 'held', held: client.held(), failed: client.failed(), ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 });
  } else if (line === 'gc') {
    // Run with --expose-gc: a full collection, so RSS shows what is held, not garbage waiting.
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 200));
    globalThis.gc?.();
    say({ event: 'gc-done' });
  } else if (line === 'stop') break;
}
await client.stop();
process.exit(0);
