// A worker thread that samples the receivers' `ws.connections.total` (connections accepted since
// start, docs/admin-contract.md) every ~20 ms on its own event loop, so the busy client swarm in
// the main thread cannot delay the timestamps. Posts [[ms, Σ total], …] when asked to stop.
import { parentPort, workerData } from 'node:worker_threads';

const samples = [];
let stopping = false;
parentPort.once('message', () => (stopping = true));

async function totalOf(adminUrl) {
  const answer = await fetch(`${adminUrl}/v1/metrics`, { headers: { connection: 'close' } });
  return (await answer.json()).ws.connections.total;
}

while (!stopping) {
  const totals = await Promise.all(workerData.map(totalOf));
  samples.push([performance.now(), totals.reduce((a, b) => a + b, 0)]);
  await new Promise((resolve) => setTimeout(resolve, 20));
}
parentPort.postMessage(samples);
