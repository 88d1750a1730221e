// `conduitctl status` over a 200-instance fleet hosted by one reference-gateway process, against
// the runbook way: one request per instance, in sequence (in-process fetch, and a curl loop).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, median, report, startGateway, timeProcess } from './lib.mjs';

const COUNT = Number(process.argv[2] ?? 200);
const ROUNDS = 5;
const gateway = await startGateway(['--instances', String(COUNT), '--base-ip', '127.0.60.1', '--port', '0', '--admin-port', '0', '--tick-ms', '0']);
const dir = mkdtempSync(join(tmpdir(), 'bench-status-'));
try {
  const urls = gateway.instances.map((i) => `http://${i.address}:${i.adminPort}`);
  const fleet = join(dir, 'fleet.yaml');
  writeFileSync(fleet, `instances:\n${gateway.instances.map((i, n) => `  - name: ${i.name}\n    admin: ${urls[n]}`).join('\n')}\n`);

  const statusRuns = [];
  for (let r = 0; r < ROUNDS; r++) statusRuns.push(timeProcess(process.execPath, [CLI, 'status', '--fleet', fleet, '-o', 'json']));

  const sequentialRuns = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    for (const url of urls) {
      const response = await fetch(`${url}/v1/metrics`, { headers: { connection: 'close' } });
      await response.json();
    }
    sequentialRuns.push(performance.now() - started);
  }

  const hasCurl = spawnSync('sh', ['-c', 'command -v curl']).status === 0;
  let curl;
  if (hasCurl) {
    const script = urls.map((u) => `curl -s ${u}/v1/metrics >/dev/null`).join('\n');
    curl = timeProcess('sh', ['-c', script]);
  }

  const status = median(statusRuns);
  const sequential = median(sequentialRuns);
  report(`status over ${COUNT} instances (medians of ${ROUNDS})`, [
    ['conduitctl status (whole process)', `${status.toFixed(0)} ms`],
    ['sequential fetch, one per instance', `${sequential.toFixed(0)} ms`],
    ['ratio sequential / status', `${(sequential / status).toFixed(2)}×`],
    ...(curl ? [['runbook curl loop (one curl per instance)', `${curl.toFixed(0)} ms`], ['ratio curl loop / status', `${(curl / status).toFixed(2)}×`]] : []),
  ]);
} finally {
  await gateway.stop();
  rmSync(dir, { recursive: true, force: true });
}
