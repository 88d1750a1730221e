// `conduitctl probe … -- ./restart-each-gateway.sh` through real HAProxy configured as reference
// 000 (`acl is_websocket`, `cookie SERVERID insert indirect nocache`) in front of three reference
// gateway processes, which the script restarts one at a time: with SIGTERM (they notify, then
// close) no drop is silent; with kill -9 every drop is, counted per instance.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_PATH } from '../support/gateway-process.js';
import { startHaproxy, type RunningHaproxy } from '../support/lb/haproxy.js';
import { freePort } from '../support/lb/process.js';
import { runCli } from '../support/run-cli.js';

// This file's loopback range: 127.40.20.0/24.
const GATEWAYS = [0, 1, 2].map((i) => ({ name: `conduit-${i}`, address: `127.40.20.${i + 1}` }));

interface Report {
  verdict: string;
  reasons: string[];
  connections: { connected: number; openAtEnd: number };
  closes: { total: number; clean: number; silent: number; byCode: Record<string, number>; byInstance: Record<string, number> };
  silentByInstance: Record<string, number>;
  command: { program: string; exitCode: number; failed: boolean };
  instances: { before: Record<string, number>; after: Record<string, number> };
}

/** Starts gateway i in the background (pid in its pid file), restarting it on the same ports. */
function startScript(dir: string, ports: { port: number; adminPort: number }[]): string {
  const lines = GATEWAYS.map(
    (g, i) =>
      `  ${i}) exec_args="--name ${g.name} --bind ${g.address} --port ${ports[i]!.port} --admin-port ${ports[i]!.adminPort}" ;;`,
  );
  return `#!/bin/sh
# start-gateway.sh I: start reference gateway I in the background and wait until it listens.
case "$1" in
${lines.join('\n')}
esac
nohup '${process.execPath}' '${GATEWAY_PATH}' $exec_args --tick-ms 200 --shutdown-deadline-ms 300 > "${dir}/gateway-$1.log" 2>&1 &
echo $! > "${dir}/gateway-$1.pid"
i=0
until grep -q listening "${dir}/gateway-$1.log"; do i=$((i+1)); [ $i -gt 100 ] && exit 1; sleep 0.1; done
`;
}

/** The rollout under test: each gateway in turn gets SIGNAL, is waited for, and comes back. */
function restartScript(dir: string, signal: 'TERM' | 'KILL'): string {
  return `#!/bin/sh
# restart-each-gateway.sh: one at a time, kill -${signal}, wait for the exit, start again, let HAProxy see it up.
set -e
for i in 0 1 2; do
  pid=$(cat '${dir}/gateway-'$i'.pid')
  kill -${signal} "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  '${dir}/start-gateway.sh' $i
  sleep 2
done
`;
}

describe('probe through HAProxy (reference 000) while a script restarts each gateway', () => {
  let dir: string;
  let lb: RunningHaproxy;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conduit-probe-haproxy-'));
    const ports = await Promise.all(GATEWAYS.map(async (g) => ({ port: await freePort(g.address), adminPort: await freePort(g.address) })));
    await writeFile(join(dir, 'start-gateway.sh'), startScript(dir, ports));
    await writeFile(join(dir, 'restart-each-gateway.sh'), restartScript(dir, 'TERM'));
    await writeFile(join(dir, 'kill-each-gateway.sh'), restartScript(dir, 'KILL'));
    for (const script of ['start-gateway.sh', 'restart-each-gateway.sh', 'kill-each-gateway.sh']) await chmod(join(dir, script), 0o755);
    lb = await startHaproxy(
      GATEWAYS.map((g, i) => ({ name: g.name, address: g.address, port: ports[i]!.port })),
      { checkInterval: '300ms', frontendLines: ['acl is_websocket hdr(Upgrade) -i WebSocket', 'use_backend conduit_ws if is_websocket'] },
    );
  }, 60_000);

  const startAll = async () => {
    for (const i of [0, 1, 2]) {
      const result = await runScript(join(dir, 'start-gateway.sh'), String(i));
      expect(result, `gateway ${i} did not start`).toBe(0);
    }
    await new Promise((r) => setTimeout(r, 1_500)); // HAProxy's checks see them up
  };

  afterEach(async () => {
    await stopAll(dir);
  });

  afterAll(async () => {
    await lb?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const probe = (script: string) =>
    runCli(['probe', `${lb.url.replace('http:', 'ws:')}/v1/subscribe`, '--connections', '90', '--settle', '6s', '--ping-interval', '1s', '-o', 'json', '--', join(dir, script)], { timeoutMs: 120_000 });

  it('the config is reference 000’s', () => {
    expect(lb.config).toContain('acl is_websocket hdr(Upgrade) -i WebSocket');
    expect(lb.config).toContain('cookie SERVERID insert indirect nocache');
  });

  it('SIGTERM, one at a time: every close preceded by a notice, 0 silent, exit 0', async () => {
    await startAll();
    const result = await probe('restart-each-gateway.sh');
    expect(result.code, `${result.stderr}\n${result.stdout.slice(0, 2_000)}`).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.verdict).toBe('PASS');
    expect(report.closes.silent).toBe(0);
    expect(report.closes.clean).toBe(report.closes.total);
    expect(report.closes.byCode).toEqual({ '1001': report.closes.total });
    // every gateway was restarted under load, and the connections came back
    expect(Object.keys(report.closes.byInstance).sort()).toEqual(['conduit-0', 'conduit-1', 'conduit-2']);
    expect(report.connections).toMatchObject({ connected: 90, openAtEnd: 90 });
    expect(report.command).toMatchObject({ program: join(dir, 'restart-each-gateway.sh'), exitCode: 0, failed: false });
  }, 130_000);

  it('kill -9, one at a time: the drops are silent and counted per instance, exit 1', async () => {
    await startAll();
    const result = await probe('kill-each-gateway.sh');
    expect(result.code, `${result.stderr}\n${result.stdout.slice(0, 2_000)}`).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.verdict).toBe('FAIL');
    expect(Object.keys(report.silentByInstance).sort()).toEqual(['conduit-0', 'conduit-1', 'conduit-2']);
    const perInstance = Object.values(report.silentByInstance);
    expect(perInstance.every((n) => n > 0)).toBe(true);
    expect(perInstance.reduce((a, b) => a + b, 0)).toBe(report.closes.silent);
    expect(report.closes.byCode['1006']).toBe(report.closes.silent);
    expect(report.reasons[0]).toMatch(/^\d+ silent drops \(max 0\): conduit-\d \d+, conduit-\d \d+, conduit-\d \d+$/);
  }, 130_000);
});

function runScript(path: string, arg: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(path, [arg], { stdio: 'ignore' });
    child.once('exit', (code) => resolve(code));
  });
}

async function stopAll(dir: string): Promise<void> {
  for (const i of [0, 1, 2]) {
    const pid = Number(await readFile(join(dir, `gateway-${i}.pid`), 'utf8').catch(() => ''));
    if (!pid) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
