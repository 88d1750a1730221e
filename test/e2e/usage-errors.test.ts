import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

// Every bad input exits 2 and changes nothing: these point at an address where nothing listens, so
// any request that did go out would fail differently (exit 3/4), never with 2.
const FLEET = ['--instances', 'conduit-0=http://127.0.35.1:9'];

describe('bad input exits 2 with the valid forms', () => {
  it.each([
    ['an unknown flag', ['status', '--bogus']],
    ['an unknown command', ['frobnicate']],
    ['--timeout 0', ['drain', 'conduit-0', ...FLEET, '--timeout', '0']],
    ['--timeout -5', ['drain', 'conduit-0', ...FLEET, '--timeout', '-5']],
    ['--timeout abc', ['drain', 'conduit-0', ...FLEET, '--timeout', 'abc']],
    ['--timeout 10y', ['drain', 'conduit-0', ...FLEET, '--timeout', '10y']],
    ['--timeout 5 (no unit)', ['drain', 'conduit-0', ...FLEET, '--timeout', '5']],
    ['an unknown instance', ['drain', 'conduit-9', ...FLEET]],
    ['a name with a slash', ['drain', 'conduit/0', ...FLEET]],
    ['a name with ..', ['drain', '..', ...FLEET]],
    ['a name with a space', ['drain', 'conduit 0', ...FLEET]],
    ['an upper-case name', ['drain', 'Conduit-0', ...FLEET]],
    ['a name over 253 characters', ['drain', 'a'.repeat(254), ...FLEET]],
    ['drain with no target', ['drain', ...FLEET]],
    ['-o xml', ['status', ...FLEET, '-o', 'xml']],
    ['--fleet and --instances together', ['status', ...FLEET, '--fleet', 'x.yaml']],
    ['a missing fleet file', ['status', '--fleet', '/nonexistent/fleet.yaml']],
    ['a negative --concurrency', ['status', ...FLEET, '--concurrency', '-1']],
  ])('%s', async (_what, args) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/error/i);
  });

  it('names the valid duration forms', async () => {
    const result = await runCli(['drain', 'conduit-0', ...FLEET, '--timeout', '10y']);
    expect(result.stderr).toContain('30s, 5m, 1h30m');
  });
});

describe('help and version', () => {
  it('--version prints the version', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('--help lists the commands and the exit codes', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/status/);
    expect(result.stdout).toMatch(/drain/);
    expect(result.stdout).toMatch(/Exit codes/);
  });

  it.each(['status', 'drain'])('%s --help explains the command with examples', async (verb) => {
    const result = await runCli([verb, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Examples:/);
  });
});
