// Issue 14 item 2 as a process: passwords in URLs and control characters in user input.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.js';

const PASSWORD = 'PW-9c1f2e77';
const ESC = '\u001b';
const dir = mkdtempSync(join(tmpdir(), 'conduit-hardening-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Nothing listens on 127.44.4.1:9: a request that did go out would fail with 3 or 4, never 2.
describe('item 2: secrets printed — a URL with user:password@ is refused without echoing the password', () => {
  it.each([
    ['a named --instances item', ['status', '--instances', `gw-a=http://user:${PASSWORD}@127.44.4.1:9`]],
    ['an unnamed --instances item', ['status', '--instances', `http://user:${PASSWORD}@127.44.4.1:9`]],
    ['an --instances item that is not even a valid URL', ['status', '--instances', `gw-a=http://user:${PASSWORD}@127.44.4.1:99999`]],
    ['drain, -v 9', ['drain', 'gw-a', '--instances', `gw-a=http://user:${PASSWORD}@127.44.4.1:9`, '-v', '9']],
  ])('%s', async (_what, args) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/must not carry credentials|is not a valid URL/);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });

  it('a fleet file entry with a password', async () => {
    const path = join(dir, 'fleet.yaml');
    writeFileSync(path, `instances:\n  - name: gw-a\n    admin: http://ops:${PASSWORD}@127.44.4.1:9\n  - http://ops:${PASSWORD}@127.44.4.2:9\n`);
    const result = await runCli(['status', '--fleet', path]);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });
});

describe('item 2: control characters of user input are escaped in every message', () => {
  it.each([
    ['a pod name', ['drain', `gw-${ESC}[2Ja`, '--instances', 'gw-a=http://127.44.4.1:9']],
    ['an --instances name', ['status', '--instances', `gw-${ESC}[31ma=http://127.44.4.1:9`]],
    ['an unknown flag', ['status', `--bo${ESC}]0;pwned${'\u0007'}gus`]],
    ['an unknown command', [`dra${ESC}[1Ain`]],
    ['a bad duration', ['drain', 'gw-a', '--instances', 'gw-a=http://127.44.4.1:9', '--timeout', `5${'\r'}s`]],
    ['a missing fleet file', ['status', '--fleet', `/nonexistent/${ESC}[31mfleet.yaml`]],
  ])('%s', async (_what, args) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error/);
    // eslint-disable-next-line no-control-regex
    expect(result.stderr.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(result.stderr).toMatch(/\\u001b|\\r|\\u0007/);
  });
});
