// What a command line becomes: the typed options each verb's run function receives, in process.
// The defaults here are RELIABILITY.md's rules (rule 2: three known zeros in a row, 10 s draining).
import { describe, expect, it } from 'vitest';
import type { Factory } from '../../src/cli/factory.js';
import { defineDrainCommand, type DrainCommandOptions } from '../../src/commands/drain/index.js';
import { defineScaleCommand, type ScaleCommandOptions } from '../../src/commands/scale/index.js';
import { defineStatusCommand, type StatusCommandOptions } from '../../src/commands/status/index.js';
import { runInProcess } from '../support/cli/index.js';

async function optionsOf<O>(argv: string[], define: (f: Factory, runF: (s: unknown, o: O) => Promise<void>) => unknown): Promise<O> {
  const seen: O[] = [];
  const result = await runInProcess(argv, { commands: (f) => [define(f, async (_session, options) => void seen.push(options)) as never] });
  expect(result.code, result.stderr).toBe(0);
  expect(seen).toHaveLength(1);
  return seen[0]!;
}

const FLEET = ['--instances', 'conduit-0=http://127.0.35.1:9'];

describe('drain options', () => {
  it('defaults: a stable zero is 3 known zeros and 10s draining; 1s polls; 10s to confirm; 5m deadline', async () => {
    const options = await optionsOf<DrainCommandOptions>(['drain', 'conduit-0', ...FLEET], defineDrainCommand);
    expect(options.timing).toEqual({ timeoutMs: 300_000, minDrainMs: 10_000, pollIntervalMs: 1_000, confirmTimeoutMs: 10_000, stableZeroPolls: 3, keepDraining: false });
    expect(options).toMatchObject({ target: { kind: 'names', names: ['conduit-0'] }, local: false, then: 'none', allowLast: false, evictionRetryMs: 5_000 });
  });

  it('every timing flag reaches the options', async () => {
    const options = await optionsOf<DrainCommandOptions>(
      ['drain', 'conduit-0', ...FLEET, '--timeout', 'forever', '--min-drain-time', '0s', '--poll-interval', '250ms', '--confirm-timeout', '3s', '--stable-polls', '5', '--keep-draining'],
      defineDrainCommand,
    );
    expect(options.timing).toEqual({ timeoutMs: Infinity, minDrainMs: 0, pollIntervalMs: 250, confirmTimeoutMs: 3_000, stableZeroPolls: 5, keepDraining: true });
  });

  it('--local drains the gateway at --local-url, named by $POD_NAME or else by the gateway itself, with no target', async () => {
    const options = await optionsOf<DrainCommandOptions>(['drain', '--local', '--local-url', 'http://127.0.0.1:9087/'], defineDrainCommand);
    expect(options).toMatchObject({ local: true, localAdminUrl: 'http://127.0.0.1:9087' });
    expect(options.localName).toBeUndefined();
    expect(options.target).toBeUndefined();
  });
});

describe('scale options', () => {
  it('defaults: the same drain timing as drain, a 10m deadline, 60s stall', async () => {
    const options = await optionsOf<ScaleCommandOptions>(['scale', 'sts/conduit', '--replicas', '2'], defineScaleCommand);
    expect(options.timing).toEqual({ timeoutMs: 600_000, minDrainMs: 10_000, pollIntervalMs: 1_000, confirmTimeoutMs: 10_000, stableZeroPolls: 3, keepDraining: false });
    expect(options).toMatchObject({ statefulSet: 'conduit', replicas: 2, dryRun: false, stallAfterMs: 60_000, allowHpa: false, allowZero: false });
  });

  it('--remove and --max-connections-per-pod', async () => {
    const options = await optionsOf<ScaleCommandOptions>(['scale', 'sts/conduit', '--replicas', '1', '--remove', 'conduit-2, conduit-1', '--max-connections-per-pod', '500'], defineScaleCommand);
    expect(options).toMatchObject({ remove: ['conduit-2', 'conduit-1'], capacityPerPod: 500 });
  });
});

describe('status options', () => {
  it('defaults and a workload target', async () => {
    const options = await optionsOf<StatusCommandOptions>(['status', 'sts/conduit'], defineStatusCommand);
    expect(options).toEqual({ target: { kind: 'workload', workloadKind: 'statefulset', name: 'conduit' }, watch: false, intervalMs: 2_000, concurrency: 32 });
  });
});
