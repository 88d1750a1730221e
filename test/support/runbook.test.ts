// The runbook harness's pieces without a sandbox: which blocks of a markdown file are run, and how
// the script made of them behaves; and that every runbook of docs/runbooks/ has its test.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runbookScript, shellBlocks } from './runbook.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('shellBlocks', () => {
  const markdown = [
    '# A runbook', //                                         1
    '',
    '```sh',
    'conduitctl sandbox up',
    'export KUBECONFIG=~/.conduitctl/sandbox/kubeconfig', //  5
    '```',
    '',
    '```text',
    'NAME        READY   HEALTH',
    '```', //                                                10
    '',
    '```console',
    '$ conduitctl status',
    '```',
    '', //                                                   15
    '```yaml',
    'lifecycle: {}',
    '```',
    '',
    '1. A step in a list:', //                               20
    '',
    '   ```sh',
    '   conduitctl probe "$URL" --connections 30 -- \\',
    '     conduitctl drain conduit-2 -n conduit',
    '   ```', //                                             25
    '',
    '````markdown',
    '```sh',
    'echo "an example inside an example is not run"',
    '```', //                                                30
    '````',
    '',
    '```shell',
    'echo not the sh convention',
    '```', //                                                35
    '',
    '```sh',
    'conduitctl sandbox down',
    '```',
  ].join('\n');

  it('finds the sh blocks in order, with the line of their fence', () => {
    expect(shellBlocks(markdown).map((b) => b.line)).toEqual([3, 22, 37]);
    expect(shellBlocks(markdown)[0]!.text).toBe('conduitctl sandbox up\nexport KUBECONFIG=~/.conduitctl/sandbox/kubeconfig');
    expect(shellBlocks(markdown)[2]!.text).toBe('conduitctl sandbox down');
  });

  it('leaves out text, console, yaml, shell and the blocks nested in a longer fence', () => {
    const all = shellBlocks(markdown).map((b) => b.text).join('\n');
    for (const left of ['NAME        READY', '$ conduitctl status', 'lifecycle', 'an example inside', 'not the sh convention']) expect(all).not.toContain(left);
  });

  it('keeps a line continuation, and strips only the indentation of an indented fence', () => {
    expect(shellBlocks(markdown)[1]!.text).toBe('conduitctl probe "$URL" --connections 30 -- \\\n  conduitctl drain conduit-2 -n conduit');
  });

  it('reads CRLF files and ~~~ fences', () => {
    expect(shellBlocks('~~~sh\r\necho a\r\n~~~\r\n```sh\r\necho b\r\n```\r\n')).toEqual([
      { line: 1, text: 'echo a' },
      { line: 4, text: 'echo b' },
    ]);
  });
});

describe('runbookScript', () => {
  const run = (blocks: string[]) => {
    const script = runbookScript(blocks.map((text, i) => ({ line: i * 10 + 1, text })), 'docs/runbooks/x.md');
    return spawnSync('bash', ['--noprofile', '--norc', '-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  };

  it('runs the blocks in one shell: a variable set in one block is there in the next, each command echoed first', () => {
    const result = run(['URL=ws://svc/v1/subscribe', 'echo "url is $URL"']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("+ : '── block 1 of 2 (docs/runbooks/x.md:1) ──'\n+ URL=ws://svc/v1/subscribe\n");
    expect(result.stdout).toContain("+ echo 'url is ws://svc/v1/subscribe'\nurl is ws://svc/v1/subscribe\n");
    expect(result.stdout).toContain("+ : '── end of runbook ──'");
  });

  it('stops at the first failing command, in a pipeline too, and on an unset variable', () => {
    for (const failing of ['false', 'false | cat', 'echo "$NOT_SET"']) {
      const result = run(['echo before', failing, 'echo after']);
      expect(result.status, failing).not.toBe(0);
      expect(result.stdout).toContain('before');
      expect(result.stdout).not.toContain('\nafter');
    }
  });

  it('goes on past a failure the runbook handles the way an operator would', () => {
    const result = run(['sh -c "exit 3" || echo "refused as expected: exit $?"', 'echo after']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^refused as expected: exit 3$/m);
    expect(result.stdout).toMatch(/^after$/m);
  });
});

describe('docs/runbooks', () => {
  const dir = join(ROOT, 'docs/runbooks');
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .map((f) => f.slice(0, -3));
  const index = readFileSync(join(dir, 'README.md'), 'utf8');

  it('has the seven runbooks of issue 12', () => {
    expect(names.sort()).toEqual(['drain-a-pod', 'move-connections-off-a-pod', 'prestop-drain-migrate', 'rebalance-after-a-scale-up', 'roll-out-with-a-probe', 'scale-down-safely', 'verify-stickiness']);
  });

  for (const name of names) {
    it(`${name}.md is run by test/e2e/runbooks/${name}.test.ts, listed in the index, and rehearsed from sandbox up to sandbox down`, () => {
      const test = join(ROOT, 'test/e2e/runbooks', `${name}.test.ts`);
      expect(existsSync(test)).toBe(true);
      expect(readFileSync(test, 'utf8')).toContain(`describeRunbook('docs/runbooks/${name}.md', import.meta.url`);
      expect(index).toContain(`](${name}.md)`);
      const blocks = shellBlocks(readFileSync(join(dir, `${name}.md`), 'utf8'));
      expect(blocks[0]!.text).toMatch(/^conduitctl sandbox up\nexport KUBECONFIG=~\/\.conduitctl\/sandbox\/kubeconfig(\n|$)/);
      expect(blocks.at(-1)!.text).toBe('conduitctl sandbox down');
      for (const block of blocks) expect(block.text, `${name}.md:${block.line}`).not.toMatch(/^\s*\$ /m);
    });
  }
});
