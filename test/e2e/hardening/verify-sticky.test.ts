// Issue 14 items 2 and 6 for verify-sticky, as a process against a real HTTP server that sets a
// session cookie and says which path it was asked for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.js';
import { startLoopbackServer, type LoopbackServer } from '../../support/loopback-server.js';

const SECRET = 'JSESS-SECRET-1.node1';
let server: LoopbackServer;
const paths: string[] = [];

beforeAll(async () => {
  server = await startLoopbackServer((req, res) => {
    paths.push(req.url ?? '');
    res.setHeader('set-cookie', `JSESSIONID=${SECRET}; Path=/; HttpOnly`);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'ok', instance: 'gw-1' }));
  }, '127.44.13.1');
});
afterAll(async () => server?.close());

describe('item 2: secrets printed — verify-sticky never prints cookie values', () => {
  for (const output of [[], ['-o', 'wide'], ['-o', 'json'], ['-o', 'yaml']]) {
    it(`${output.join(' ') || 'table'} at -vvvvvvvvv: a fingerprint, never the value`, async () => {
      const result = await runCli(['verify-sticky', server.url, '--requests', '3', '-vvvvvvvvv', ...output]);
      expect(result.code).toBe(0);
      expect(result.stdout + result.stderr).not.toContain('JSESS-SECRET');
      expect(result.stdout).toMatch(/#[0-9a-f]{12}/);
    });
  }

  it('--show-cookie-values shows them, because the operator asked', async () => {
    const result = await runCli(['verify-sticky', server.url, '--requests', '2', '--show-cookie-values']);
    expect(result.stdout).toContain(`${SECRET}→gw-1`);
  });
});

describe('item 6: verify-sticky against gateways that are not Conduit', () => {
  it('verify-sticky http://lb/health requests /health, not /health/health', async () => {
    paths.length = 0;
    const result = await runCli(['verify-sticky', `${server.url}/health`, '--requests', '2']);
    expect(result.code).toBe(0);
    expect(paths).toEqual(['/health', '/health']);
  });

  it('more than 10 clients print no MaxListenersExceededWarning', async () => {
    const result = await runCli(['verify-sticky', server.url, '--clients', '40', '--requests', '2']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('MaxListenersExceededWarning');
  });
});
