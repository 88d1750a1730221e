// Smoke tests of the built bundle as a process: the argv → exit code path end to end. Every usage
// error of every command is tested in process (test/cli/usage-errors.test.ts); these few prove the
// real process boundary (main.ts, the real adapters) says the same.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const FLEET = ['--instances', 'conduit-0=http://127.0.35.1:9'];

describe('the built CLI as a process', () => {
  it('a bad duration exits 2 naming the valid forms, nothing on stdout', async () => {
    const result = await runCli(['drain', 'conduit-0', ...FLEET, '--timeout', '10y']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('30s, 5m, 1h30m');
  });

  it('an unknown command exits 2', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });

  it('a missing fleet file exits 2 (the real static-fleet adapter)', async () => {
    const result = await runCli(['status', '--fleet', '/nonexistent/fleet.yaml']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('/nonexistent/fleet.yaml');
  });

  it('a URL with credentials exits 2 without echoing them', async () => {
    const result = await runCli(['verify-sticky', 'http://user:secret@lb']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the URL holds credentials');
    expect(result.stderr).not.toContain('secret');
  });

  it('--version prints the version', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('--help lists the commands and the exit codes', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/drain/);
    expect(result.stdout).toMatch(/Exit codes/);
  });
});
