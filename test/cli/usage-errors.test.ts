// Every bad command line exits 2, prints the valid forms, runs nothing and touches no adapter —
// in process, through the real program (test/support/cli).
import { describe, expect, it } from 'vitest';
import { defineDrainCommand } from '../../src/commands/drain/index.js';
import { defineScaleCommand } from '../../src/commands/scale/index.js';
import { defineStatusCommand } from '../../src/commands/status/index.js';
import { defineVerifyStickyCommand } from '../../src/commands/verify-sticky/index.js';
import { defineSandboxCommand } from '../../src/commands/sandbox/index.js';
import { defineUndrainCommand } from '../../src/commands/undrain/index.js';
import { defineWscatCommand } from '../../src/commands/wscat/index.js';
import { defineMigrateCommand } from '../../src/commands/migrate/index.js';
import { defineRebalanceCommand } from '../../src/commands/rebalance/index.js';
import type { Factory } from '../../src/cli/factory.js';
import { DURATION_FORMS } from '../../src/util/duration.js';
import { runInProcess } from '../support/cli/index.js';
import { FakeFleet, FakeGateway, fakeInstances } from '../support/fakes/index.js';

const FLEET = ['--instances', 'conduit-0=http://127.0.35.1:9'];

/** Every verb with a run function that records that it ran: a usage error must stop before it. */
function recordingCommands(ran: string[]) {
  const record = (verb: string) => async () => void ran.push(verb);
  return (f: Factory) => [
    defineStatusCommand(f, record('status')),
    defineDrainCommand(f, record('drain')),
    defineUndrainCommand(f, record('undrain')),
    defineScaleCommand(f, record('scale')),
    defineVerifyStickyCommand(f, record('verify-sticky')),
    defineSandboxCommand(f, { up: record('sandbox up'), down: record('sandbox down'), status: record('sandbox status'), demo: record('sandbox demo') }),
    defineWscatCommand(f, record('wscat')),
    defineMigrateCommand(f, record('migrate')),
    defineRebalanceCommand(f, record('rebalance')),
  ];
}

const DNS_1123 = 'a name must consist of lower-case letters, digits, "-" and ".", and start and end with a letter or digit';

describe('bad input exits 2 with the valid forms, before anything runs', () => {
  it.each([
    ['an unknown flag', ['status', '--bogus'], /unknown option '--bogus'/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['--timeout 0', ['drain', 'conduit-0', ...FLEET, '--timeout', '0'], DURATION_FORMS],
    ['--timeout -5', ['drain', 'conduit-0', ...FLEET, '--timeout', '-5'], DURATION_FORMS],
    ['--timeout abc', ['drain', 'conduit-0', ...FLEET, '--timeout', 'abc'], DURATION_FORMS],
    ['--timeout 10y', ['drain', 'conduit-0', ...FLEET, '--timeout', '10y'], DURATION_FORMS],
    ['--timeout 5 (no unit)', ['drain', 'conduit-0', ...FLEET, '--timeout', '5'], 'a unit is required'],
    ['scale --poll-interval 1', ['scale', 'sts/conduit', '--replicas', '2', '--poll-interval', '1'], DURATION_FORMS],
    ['scale --min-drain-time soon', ['scale', 'sts/conduit', '--replicas', '2', '--min-drain-time', 'soon'], DURATION_FORMS],
    ['scale --stable-polls 0', ['scale', 'sts/conduit', '--replicas', '2', '--stable-polls', '0'], '--stable-polls: 0 is out of range (1–100)'],
    ['scale of a pod', ['scale', 'conduit-0', '--replicas', '2'], 'scale takes a StatefulSet such as sts/conduit'],
    ['scale --replicas two', ['scale', 'sts/conduit', '--replicas', 'two'], '--replicas: "two" is not a whole number'],
    ['scale without --replicas', ['scale', 'sts/conduit'], "required option '--replicas <n>' not specified"],
    ['scale --remove with a bad name', ['scale', 'sts/conduit', '--replicas', '2', '--remove', 'Conduit-2'], '--remove: invalid pod name "Conduit-2"'],
    ['a name with a slash', ['drain', 'conduit/0', ...FLEET], 'use sts/NAME, statefulset/NAME, deploy/NAME or pod names'],
    ['a name with ..', ['drain', '..', ...FLEET], DNS_1123],
    ['a name with a space', ['drain', 'conduit 0', ...FLEET], DNS_1123],
    ['an upper-case name', ['drain', 'Conduit-0', ...FLEET], DNS_1123],
    ['a name over 253 characters', ['drain', 'a'.repeat(254), ...FLEET], 'a name must be at most 253 characters (got 254)'],
    ['drain with no target', ['drain', ...FLEET], 'name the instances to drain'],
    ['undrain --timeout 5', ['undrain', 'conduit-0', ...FLEET, '--timeout', '5'], 'a unit is required'],
    ['undrain an upper-case name', ['undrain', 'Conduit-0', ...FLEET], DNS_1123],
    ['drain --local with names', ['drain', '--local', 'conduit-0'], '--local drains this host’s gateway: give no names or selector'],
    ['drain --then evict on a file fleet', ['drain', 'conduit-0', ...FLEET, '--then', 'evict'], '--then evict needs Kubernetes pods'],
    ['drain --then later', ['drain', 'conduit-0', ...FLEET, '--then', 'later'], 'Allowed choices are none, evict, delete'],
    ['drain --eviction-retry 1s', ['drain', 'conduit-0', '--eviction-retry', '1s'], '--eviction-retry: at least 5s'],
    ['-o xml', ['status', ...FLEET, '-o', 'xml'], 'Allowed choices are table, wide, json, yaml'],
    ['--fleet and --instances together', ['status', ...FLEET, '--fleet', 'x.yaml'], '--fleet and --instances cannot be used together'],
    ['a negative --concurrency', ['status', ...FLEET, '--concurrency', '-1'], '--concurrency: -1 is out of range'],
    ['--request-timeout 5', ['status', ...FLEET, '--request-timeout', '5'], '--request-timeout'],
    ['verify-sticky without a URL', ['verify-sticky'], "missing required argument 'url'"],
    ['verify-sticky --tolerance lots', ['verify-sticky', 'http://lb', '--tolerance', 'lots'], '--tolerance: "lots" is not a percentage such as 20%'],
    ['sandbox up --pod-cidr nonsense', ['sandbox', 'up', '--pod-cidr', 'nonsense'], '--pod-cidr'],
    ['wscat without a URL', ['wscat'], "missing required argument 'url'"],
    ['wscat of an http:// URL with a scheme it cannot talk', ['wscat', 'ftp://lb/v1/subscribe'], 'ftp:// is not a WebSocket URL; use ws:// or wss://'],
    ['wscat of a URL with a #fragment', ['wscat', 'ws://lb/v1/subscribe#x'], 'a WebSocket URL cannot have a #fragment'],
    ['wscat -x with --auto-reconnect', ['wscat', 'ws://lb/v1/subscribe', '-x', 'hi', '--auto-reconnect'], '-x sends its messages and closes; --auto-reconnect does not apply'],
    ['wscat -H without a value', ['wscat', 'ws://lb/v1/subscribe', '-H', 'Authorization'], '-H: "Authorization" is not "Name: value"'],
    ['wscat -H Upgrade', ['wscat', 'ws://lb/v1/subscribe', '-H', 'Upgrade: h2c'], '-H: Upgrade is set by the WebSocket handshake itself'],
    ['wscat --subprotocol twice', ['wscat', 'ws://lb/v1/subscribe', '-s', 'a', '-s', 'a'], '--subprotocol: a subprotocol is named twice'],
    ['wscat --connect-timeout 5', ['wscat', 'ws://lb/v1/subscribe', '--connect-timeout', '5'], 'a unit is required'],
    ['wscat --max-reconnects many', ['wscat', 'ws://lb/v1/subscribe', '--max-reconnects', 'many'], '--max-reconnects: "many" is not a whole number'],
    ['migrate without a source', ['migrate', ...FLEET], "missing required argument 'pod'"],
    ['migrate of a StatefulSet', ['migrate', 'sts/conduit'], 'migrate takes one pod or instance name, got "sts/conduit"'],
    ['migrate --to the source', ['migrate', 'conduit-0', ...FLEET, '--to', 'conduit-0'], '--to cannot include the source conduit-0'],
    ['migrate --to with --reconnect-url', ['migrate', 'conduit-0', ...FLEET, '--to', 'conduit-1', '--reconnect-url', 'ws://lb/v1/subscribe'], 'give --to (pods) or --reconnect-url (a load balancer), not both'],
    ['migrate --to an upper-case name', ['migrate', 'conduit-0', ...FLEET, '--to', 'Conduit-1'], DNS_1123],
    ['migrate --count 0', ['migrate', 'conduit-0', ...FLEET, '--count', '0'], '--count: 0 is out of range'],
    ['migrate --rate 0/s', ['migrate', 'conduit-0', ...FLEET, '--rate', '0/s'], '--rate: "0/s" is out of range'],
    ['migrate --rate fast', ['migrate', 'conduit-0', ...FLEET, '--rate', 'fast'], '--rate: "fast" is not a rate such as 200/s'],
    ['migrate --rate with --batch-size and --interval', ['migrate', 'conduit-0', ...FLEET, '--rate', '10/s', '--batch-size', '5', '--interval', '1s'], 'give --rate, or --batch-size with --interval, not all three'],
    ['migrate --reconnect-after backwards', ['migrate', 'conduit-0', ...FLEET, '--reconnect-after', '30s-5s'], '--reconnect-after: the window 30s-5s ends before it starts'],
    ['migrate --reconnect-url http://', ['migrate', 'conduit-0', ...FLEET, '--reconnect-url', 'http://lb/v1/subscribe'], '--reconnect-url: "http://lb/v1/subscribe" must be a ws:// or wss:// URL'],
    ['migrate --ws-path without /', ['migrate', 'conduit-0', ...FLEET, '--ws-path', 'v1'], '--ws-path: "v1" must be a path starting with /'],
    ['migrate --timeout 5', ['migrate', 'conduit-0', ...FLEET, '--timeout', '5'], 'a unit is required'],
    ['rebalance of a pod on Kubernetes', ['rebalance', 'conduit-0'], 'rebalance takes a StatefulSet such as sts/conduit, got "conduit-0"'],
    ['rebalance without a StatefulSet on Kubernetes', ['rebalance'], 'rebalance takes a StatefulSet such as sts/conduit'],
    ['rebalance of a StatefulSet on a file fleet', ['rebalance', 'sts/conduit', ...FLEET], 'with --fleet or --instances, rebalance takes no StatefulSet'],
    ['rebalance --tolerance lots', ['rebalance', ...FLEET, '--tolerance', 'lots'], '--tolerance: "lots" is not a percentage such as 20%'],
    ['rebalance --reconnect-url (not a rebalance flag)', ['rebalance', ...FLEET, '--reconnect-url', 'ws://lb/v1/subscribe'], "unknown option '--reconnect-url'"],
  ])('%s', async (_what, args, forms) => {
    const ran: string[] = [];
    const result = await runInProcess(args, { commands: recordingCommands(ran) });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    if (typeof forms === 'string') expect(result.stderr).toContain(forms);
    else expect(result.stderr).toMatch(forms);
    expect(ran).toEqual([]);
    expect(result.log).toEqual({ gatewayConfigs: [], staticFleets: [], kubeConnections: 0, kubeNames: [] });
  });
});

describe('a name the fleet does not have', () => {
  it('exits 2 naming it, and no gateway is asked anything', async () => {
    const gateway = new FakeGateway();
    const result = await runInProcess(['drain', 'conduit-9', ...FLEET], { world: { staticFleet: new FakeFleet(fakeInstances(1)), gateway } });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('instance "conduit-9" not found');
    expect(gateway.calls).toEqual([]);
  });
});

describe('help', () => {
  it('--help lists the commands and the exit codes', async () => {
    const result = await runInProcess(['--help']);
    expect(result.code).toBe(0);
    for (const verb of ['status', 'drain', 'scale', 'verify-sticky', 'sandbox']) expect(result.stdout).toContain(verb);
    expect(result.stdout).toContain('Exit codes:');
  });

  it.each(['status', 'drain', 'scale', 'verify-sticky'])('%s --help explains the command with examples', async (verb) => {
    const result = await runInProcess([verb, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Examples:');
  });
});
