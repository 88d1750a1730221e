// `conduitctl probe --until-stopped` (the built CLI) attached to a real gateway, as an operator
// leaves it in a second terminal: Ctrl-C (SIGINT) or SIGTERM ends the bound, and the probe then
// settles, prints its report and exits with its verdict — 0 for PASS — instead of 130.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { startCli, waitForOutput } from '../support/run-cli.js';

describe('probe --until-stopped', () => {
  let gateway: GatewayProcess;

  beforeAll(async () => {
    gateway = await startGatewayProcess(['--instances', '2', '--base-ip', '127.40.32.1', '--tick-ms', '200']);
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('%s ends the bound: it settles, reports and exits 0 on PASS', async (signal) => {
    const cli = startCli(['probe', gateway.wsUrl(0), '--connections', '10', '--until-stopped', '-o', 'json', '-v'], { timeoutMs: 30_000 });
    await waitForOutput(cli, (text) => text.includes('until stopped (Ctrl-C)'));
    cli.child.kill(signal);
    const result = await cli.result;
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ kind: 'ProbeReport', verdict: 'PASS', outcome: 'completed', bound: { kind: 'until-stopped' } });
    expect(report.connections).toMatchObject({ requested: 10, connected: 10, openAtEnd: 10 });
    expect(report.instances.after).toEqual({ 'conduit-0': 10 });
  });

  it('a gateway killed under it: the silent drops fail the run (exit 1) once it is stopped', async () => {
    const victim = await startGatewayProcess(['--bind', '127.40.32.9', '--name', 'victim', '--tick-ms', '0']);
    try {
      const cli = startCli(['probe', victim.wsUrl(), '--connections', '5', '--until-stopped', '--settle', '1s', '-o', 'json', '-v'], { timeoutMs: 30_000 });
      await waitForOutput(cli, (text) => text.includes('until stopped (Ctrl-C)'));
      victim.child.kill('SIGKILL');
      await waitForOutput(cli, (text) => /5 silent/.test(text));
      cli.child.kill('SIGINT');
      const result = await cli.result;
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report).toMatchObject({ verdict: 'FAIL', outcome: 'completed', silentByInstance: { victim: 5 } });
    } finally {
      await victim.stop();
    }
  });
});
