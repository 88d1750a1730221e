import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

// The README's first command: the whole rollout-day runbook on the built-in sandbox, as a person
// runs it, judged by a probe attached from the first change to the last.
describe('sandbox demo', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'conduitctl-demo-'));
  afterAll(async () => {
    await runCli(['sandbox', 'down', '--state-dir', stateDir]);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('status → verify-sticky → probe attached → scale 3→2 --migrate → scale back → rebalance → rollout restart → verdict PASS with 0 silent, and cleans up', async () => {
    const result = await runCli(
      ['sandbox', 'demo', '--state-dir', stateDir, '--pod-cidr', '127.0.140.0/24', '--service-cidr', '127.0.141.0/24', '--client-ips', '127.0.142-147.1'],
      { timeoutMs: 150_000 },
    );
    const out = result.stdout;
    expect(result.code, `${out}\n${result.stderr}`).toBe(0);
    expect(result.stderr).not.toMatch(/error/i);
    // Every step is printed as the command an operator types, in this order.
    const commands = [...out.matchAll(/^\$ (.*)$/gm)].map((m) => m[1]!.replace(/\d+\.\d+\.\d+\.\d+(:\d+)?/g, 'ADDR'));
    expect(commands).toEqual([
      `conduitctl sandbox up --state-dir ${stateDir} --pod-cidr ADDR/24 --service-cidr ADDR/24`,
      'conduitctl status sts/conduit -n conduit',
      'conduitctl verify-sticky http://ADDR --source-ips 127.0.142-147.1 --requests 10 --expect-instances 3 --tolerance 100%',
      'conduitctl probe ws://ADDR/v1/subscribe --connections 60 --source-ips 127.0.142-147.1 --until-stopped -o json &',
      'conduitctl status sts/conduit -n conduit',
      'conduitctl scale sts/conduit --replicas 2 --migrate --reconnect-after 500ms-1500ms --min-drain-time 3s -n conduit',
      'conduitctl scale sts/conduit --replicas 3 -n conduit',
      'conduitctl rebalance sts/conduit --reconnect-after 500ms-1500ms -n conduit',
      'conduitctl status sts/conduit -n conduit',
      'kubectl rollout restart statefulset/conduit -n conduit',
      'kubectl rollout status statefulset/conduit -n conduit --timeout=120s',
      'conduitctl status sts/conduit -n conduit',
      `conduitctl sandbox down --state-dir ${stateDir}`,
    ]);
    expect(out).toContain('STICKY: each of 6 clients stayed on one instance');
    expect(out).toContain('3 instances: 3 ok, 0 draining, 0 unreachable · 60 connections');
    expect(out).toContain('statefulset conduit scaled from 3 to 2; conduit-2 removed after draining to 0');
    expect(out).toContain('scaled statefulset conduit from 2 to 3');
    expect(out).toMatch(/moved \d+ connections; projected skew \d+% above the mean \(tolerance 20%\)/);
    // After the rebalance, with every moved client back: 60 connections, the skew within 20%.
    const skews = [...out.matchAll(/3 instances: 3 ok, 0 draining, 0 unreachable · 60 connections · skew (\d+\.\d+)/g)].map((m) => Number(m[1]));
    expect(skews).toHaveLength(3);
    expect(skews[1]).toBeLessThanOrEqual(1.2);
    expect(out).toContain('partitioned roll out complete: 3 new pods have been updated');
    // The claim is measured: the probe held 60 connections through steps 4–7 and judged every close.
    const verdict = /probe verdict: PASS — 60\/60 connections held from start to end; (\d+) closes: (\d+) clean, 0 silent \(notices: (\d+) migrating\)/.exec(out);
    expect(verdict, out).not.toBeNull();
    expect(Number(verdict![1])).toBeGreaterThanOrEqual(20);
    expect(verdict![2]).toBe(verdict![1]);
    expect(out).toMatch(/the probe measured 0 silent drops in \d+ closes/);
    // The demo started the sandbox, so it stopped it.
    const status = await runCli(['sandbox', 'status', '--state-dir', stateDir, '-o', 'json']);
    expect(JSON.parse(status.stdout).running).toBe(false);
  });
});
