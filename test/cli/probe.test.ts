// `probe`'s command line in process: what flags become (the options its run function receives),
// and every bad input → exit 2 with the reason, before anything is opened.
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { defineProbeCommand, type ProbeCommandOptions } from '../../src/commands/probe/index.js';
import { failureOfReport } from '../../src/commands/probe/run.js';
import type { ProbeReport } from '../../src/ops/probe/index.js';
import { runInProcess } from '../support/cli/index.js';

const URL = 'ws://127.40.50.1:9/v1/subscribe';

async function run(args: string[]) {
  const seen: ProbeCommandOptions[] = [];
  const result = await runInProcess(['probe', ...args], { commands: (f) => [defineProbeCommand(f, async (_s, options) => void seen.push(options))] });
  return { ...result, seen };
}

describe('probe options', () => {
  it('defaults: 100 connections at 500/s, pings every 5s with a 10s timeout, reference protocol, nothing tolerated', async () => {
    const { code, stderr, seen } = await run([URL, '--duration', '30s']);
    expect(code, stderr).toBe(0);
    expect(seen[0]).toEqual({
      url: URL,
      connections: 100,
      connectRatePerSecond: 500,
      headers: {},
      subprotocols: [],
      cookies: true,
      sourceAddresses: [],
      caFile: undefined,
      pingIntervalMs: 5_000,
      pingTimeoutMs: 10_000,
      handshakeTimeoutMs: 10_000,
      protocol: { instanceField: 'instance', seqField: 'seq', noticeField: 'status', migratingValue: 'migrating', endpointField: 'details.new_endpoint', reconnectAfterField: 'details.reconnect_after', notices: true },
      bound: { kind: 'duration', durationMs: 30_000 },
      settleMs: 10_000,
      thresholds: { maxSilent: 0, maxGap: 0, maxReconnectP99Ms: null },
    });
  });

  it('--rollout with --restart and --timeout; http(s) URLs become ws(s)', async () => {
    const { seen } = await run(['https://lb.example.com/v1/subscribe', '--rollout', 'statefulset/conduit', '--restart', '--timeout', '90s']);
    expect(seen[0]).toMatchObject({ url: 'wss://lb.example.com/v1/subscribe', bound: { kind: 'rollout', statefulSet: 'conduit', restart: true, timeoutMs: 90_000 } });
    const watchOnly = await run([URL, '--rollout', 'sts/conduit']);
    expect(watchOnly.seen[0]!.bound).toEqual({ kind: 'rollout', statefulSet: 'conduit', restart: false, timeoutMs: 300_000 });
  });

  it('--until-stopped: the bound is Ctrl-C or SIGTERM', async () => {
    const { seen } = await run([URL, '--until-stopped', '--connections', '60']);
    expect(seen[0]).toMatchObject({ connections: 60, bound: { kind: 'until-stopped' } });
  });

  it('everything after -- is the command, flags included', async () => {
    const { seen } = await run([URL, '--settle', '0s', '--', 'helm', 'upgrade', 'conduit', './chart', '--wait']);
    expect(seen[0]).toMatchObject({ bound: { kind: 'command', argv: ['helm', 'upgrade', 'conduit', './chart', '--wait'] }, settleMs: 0 });
  });

  it('client behaviour, protocol and threshold flags reach the options', async () => {
    const { seen } = await run([
      URL, '--duration', '1m', '--connections', '15000', '--connect-rate', '30/m', '-H', 'Authorization: Bearer abc', '-H', 'X-Team:  blue ',
      '--subprotocol', 'conduit.v1,conduit.v2', '--no-cookies', '--source-ips', '127.40.50.1-127.40.50.3', '--ping-interval', '2s', '--ping-timeout', '3s',
      '--connect-timeout', '4s', '--instance-field', 'meta.serverId', '--seq-field', 'n', '--notice-field', 'event', '--migrating-value', 'move',
      '--endpoint-field', 'to', '--reconnect-after-field', 'after', '--no-notices', '--max-silent', '3', '--max-gap', '5', '--max-reconnect-p99', '1500ms',
    ]);
    expect(seen[0]).toMatchObject({
      connections: 15_000,
      connectRatePerSecond: 0.5,
      headers: { Authorization: 'Bearer abc', 'X-Team': 'blue' },
      subprotocols: ['conduit.v1', 'conduit.v2'],
      cookies: false,
      sourceAddresses: ['127.40.50.1', '127.40.50.2', '127.40.50.3'],
      pingIntervalMs: 2_000,
      pingTimeoutMs: 3_000,
      handshakeTimeoutMs: 4_000,
      protocol: { instanceField: 'meta.serverId', seqField: 'n', noticeField: 'event', migratingValue: 'move', endpointField: 'to', reconnectAfterField: 'after', notices: false },
      thresholds: { maxSilent: 3, maxGap: 5, maxReconnectP99Ms: 1_500 },
    });
  });
});

describe('probe usage errors (exit 2, nothing run)', () => {
  it.each([
    [[URL], 'say how long to probe: --duration D, --rollout sts/NAME, -- COMMAND ARGS, or --until-stopped'],
    [[URL, '--until-stopped', '--duration', '1m'], '--duration and --until-stopped cannot be used together'],
    [[URL, '--until-stopped', '--', 'sleep', '1'], '-- COMMAND and --until-stopped cannot be used together'],
    [[URL, '--duration', '1s', '--rollout', 'sts/conduit'], '--duration and --rollout cannot be used together'],
    [[URL, '--rollout', 'sts/conduit', '--', 'true'], '--rollout and -- COMMAND cannot be used together'],
    [[URL, '--duration', '1s', '--restart'], '--restart restarts the StatefulSet named by --rollout sts/NAME'],
    [[URL, '--duration', '1s', '--timeout', '1m'], '--timeout bounds the wait for a rollout'],
    [[URL, '--rollout', 'deploy/conduit'], '--rollout: "deploy/conduit" is not sts/NAME'],
    [[URL, '--rollout', 'sts/Conduit_1'], 'is not sts/NAME'],
    [[URL, '--duration', '0s'], '--duration: invalid duration "0s": must be greater than zero'],
    [[URL, '--duration', '1s', '--connections', '0'], '--connections: 0 is out of range'],
    [[URL, '--duration', '1s', '--connections', '300000'], '--connections: 300000 is out of range'],
    [[URL, '--duration', '1s', '--connect-rate', '0/s'], '--connect-rate: "0/s" is out of range'],
    [[URL, '--duration', '1s', '--connect-rate', '5/h'], '--connect-rate: "5/h" is not a rate'],
    [[URL, '--duration', '1s', '-H', 'Authorization'], '-H/--header: expected "Name: value"'],
    [[URL, '--duration', '1s', '-H', 'Upgrade: h2c'], '-H/--header: Upgrade is set by the WebSocket handshake itself'],
    [[URL, '--duration', '1s', '--subprotocol', 'a b'], '--subprotocol: "a b" is not a valid subprotocol name'],
    [[URL, '--duration', '1s', '--subprotocol', 'x,x'], 'the same subprotocol is given twice'],
    [[URL, '--duration', '1s', '--instance-field', 'a..b'], '--instance-field: "a..b" is not a dotted field path'],
    [[URL, '--duration', '1s', '--max-silent', '-1'], '--max-silent: -1 is out of range'],
    [[URL, '--duration', '1s', '--max-reconnect-p99', 'soon'], '--max-reconnect-p99: invalid duration "soon"'],
    [[URL, '--duration', '1s', '--source-ips', '127.40.50.9-127.40.50.1'], 'ends before it starts'],
    [['not a url', '--duration', '1s'], '"not a url" is not a URL'],
    [['tcp://lb:80', '--duration', '1s'], 'the URL must start with ws://, wss://, http:// or https://'],
    [['ws://lb/v1/subscribe#x', '--duration', '1s'], 'a WebSocket URL has no #fragment'],
    [['ws://probe:s3cret@lb/v1/subscribe', '--duration', '1s'], 'the URL holds credentials'],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr, seen, log } = await run(args);
    expect(code).toBe(2);
    expect(seen).toEqual([]);
    expect(log).toEqual({ gatewayConfigs: [], staticFleets: [], kubeConnections: 0, kubeNames: [] });
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).not.toContain('s3cret');
  });
});

describe('probe outcome → exit code', () => {
  const report = (fields: Partial<ProbeReport>) => ({ outcome: 'completed', verdict: 'PASS', reasons: [], ...fields }) as ProbeReport;

  it('PASS → exit 0', () => {
    expect(failureOfReport(report({}))).toBeUndefined();
  });

  it('FAIL → exit 1, naming the first reason and how many more', () => {
    const failure = failureOfReport(report({ verdict: 'FAIL', reasons: ['3 connections closed silently', 'a gap of 2 messages'] }));
    expect(exitCodeFor(failure)).toBe(1);
    expect(failure!.message).toBe('FAIL: 3 connections closed silently (and 1 more in the report)');
  });

  it('a rollout that did not complete → exit 4', () => {
    const failure = failureOfReport(report({ outcome: 'rollout-timeout', verdict: 'FAIL', reasons: ['x'], rollout: { statefulSet: 'conduit', state: '2 of 3 updated' } as ProbeReport['rollout'] }));
    expect(exitCodeFor(failure)).toBe(4);
    expect(failure!.message).toContain('the rollout of sts/conduit did not complete in time: 2 of 3 updated');
  });

  it('interrupted → exit 130', () => {
    expect(exitCodeFor(failureOfReport(report({ outcome: 'interrupted', verdict: 'FAIL', reasons: ['interrupted'] })))).toBe(130);
  });
});
