// Bad input to verify-sticky: exit 2, one clear line on stderr, nothing on stdout, no sampler
// opened (so no request sent) — in process.
import { describe, expect, it } from 'vitest';
import { defineVerifyStickyCommand } from '../../src/commands/verify-sticky/index.js';
import { runInProcess } from '../support/cli/index.js';

describe('verify-sticky usage errors (exit 2)', () => {
  it.each([
    [['not a url'], '"not a url" is not a URL'],
    [['ftp://lb'], 'the URL must start with http:// or https://'],
    [['http://user:secret@lb'], 'the URL holds credentials'],
    [['http://lb', '--requests', '0'], '--requests: 0 is out of range'],
    [['http://lb', '--requests', '1'], '--requests: 1 is out of range'],
    [['http://lb', '--requests', 'many'], '--requests: "many" is not a whole number'],
    [['http://lb', '--clients', '0'], '--clients: 0 is out of range'],
    [['http://lb', '--source-ips', '127.0.0.300'], '--source-ips: "127.0.0.300" is not a valid IPv4 address or range'],
    [['http://lb', '--source-ips', '10.0.0.0-10.0.255.255'], '--source-ips: more than 1024 addresses'],
    [['http://lb', '--source-ips', '127.0.0.9-127.0.0.1'], 'ends before it starts'],
    [['http://lb', '--path', 'health'], '--path: "health" must be a path starting with /'],
    [['http://lb', '--tolerance', 'lots'], '--tolerance: "lots" is not a percentage'],
    [['http://lb', '--timeout', '5'], '--timeout: invalid duration "5": a unit is required'],
    [['http://lb', '--ws', '--reuse-connections'], '--ws and --reuse-connections cannot be used together'],
    [['http://lb', '--instance-field', 'a', '--instance-header', 'X-A'], '--instance-field and --instance-header cannot be used together'],
    [['http://lb', '--instance-header', 'not a header'], '--instance-header: "not a header" is not a header name'],
    [['http://lb', '-o', 'xml'], "argument 'xml' is invalid"],
  ])('%j', async (args, message) => {
    const ran: unknown[] = [];
    const result = await runInProcess(['verify-sticky', ...args], { commands: (f) => [defineVerifyStickyCommand(f, async (_s, o) => void ran.push(o))] });
    expect(result.code).toBe(2);
    expect(ran).toEqual([]);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('secret');
  });

  it('needs a URL', async () => {
    const result = await runInProcess(['verify-sticky']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("missing required argument 'url'");
  });
});
