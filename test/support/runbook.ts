// Runs a runbook of docs/runbooks/ as written: every ```sh block, in order, in ONE bash process
// (`set -euo pipefail`, `set -x`, so variables and `export`s carry from block to block and every
// command is echoed before it runs), with a fresh HOME (its own ~/.conduitctl/sandbox), the repo's
// bin/ first on PATH and the sandbox's address ranges taken from the calling test file's loopback
// ranges (first the pods', then the Services'). Whatever the runbook started is stopped by
// `cleanup()`: `conduitctl sandbox down` with the same HOME, then any haproxy/nginx whose pid file
// lies under HOME, then bash's process group.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loopbackRanges } from './loopback.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin');

export interface ShellBlock {
  /** 1-based line of the opening fence in the markdown. */
  line: number;
  text: string;
}

/** The ```sh fenced blocks of a markdown text, in order; every other block is left out. */
export function shellBlocks(markdown: string): ShellBlock[] {
  const blocks: ShellBlock[] = [];
  let open: { line: number; indent: string; fence: string; sh: boolean; lines: string[] } | undefined;
  markdown.split(/\r?\n/).forEach((line, index) => {
    if (!open) {
      const start = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
      if (start) open = { line: index + 1, indent: start[1]!, fence: start[2]!, sh: start[3] === 'sh', lines: [] };
      return;
    }
    const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
    if (close && close[1]![0] === open.fence[0] && close[1]!.length >= open.fence.length) {
      if (open.sh) blocks.push({ line: open.line, text: open.lines.join('\n') });
      open = undefined;
      return;
    }
    open.lines.push(line.startsWith(open.indent) ? line.slice(open.indent.length) : line.trimStart());
  });
  return blocks;
}

/** The bash script a runbook's blocks make: strict mode, an echo of every command, a marker per block. */
export function runbookScript(blocks: readonly ShellBlock[], file: string): string {
  const parts = blocks.map((b, i) => `: '── block ${i + 1} of ${blocks.length} (${file}:${b.line}) ──'\n${b.text}\n`);
  // stderr into stdout: one pipe keeps the transcript in the order things were written.
  return ['exec 2>&1', 'set -euo pipefail', "PS4='+ '", 'set -x', ...parts, ": '── end of runbook ──'", ''].join('\n');
}

export interface RunbookResult {
  /** bash's exit code; null when it was killed at the deadline. */
  code: number | null;
  timedOut: boolean;
  /** stdout and stderr of the whole run, interleaved as written, with the `+ command` echoes. */
  transcript: string;
  durationMs: number;
}

export interface Runbook {
  path: string;
  blocks: ShellBlock[];
  home: string;
  /** The environment the runbook runs in. */
  env: NodeJS.ProcessEnv;
  run(deadlineMs: number): Promise<RunbookResult>;
  /** Stop everything the runbook started, even after a failure or a timeout; remove HOME. */
  cleanup(): Promise<void>;
}

/**
 * `runbook('docs/runbooks/drain-a-pod.md', import.meta.url)`: the calling test file's own
 * loopback ranges become CONDUIT_SANDBOX_POD_CIDR (the first) and CONDUIT_SANDBOX_SERVICE_CIDR
 * (the second).
 */
export function runbook(relativePath: string, testFileUrl: string): Runbook {
  const path = join(ROOT, relativePath);
  const blocks = shellBlocks(readFileSync(path, 'utf8'));
  const [podCidr, serviceCidr] = loopbackRanges(testFileUrl);
  if (!podCidr || !serviceCidr) throw new Error(`${testFileUrl} needs a pod range and a Service range in test/support/loopback.ts`);
  const home = mkdtempSync(join(tmpdir(), 'conduit-runbook-'));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['KUBECONFIG', 'CONDUIT_SANDBOX_DIR', 'CONDUIT_ADMIN_TOKEN', 'FORCE_COLOR', 'BASH_ENV', 'ENV']) delete env[key];
  Object.assign(env, {
    HOME: home,
    PATH: `${BIN}:${process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'}`,
    KUBECACHEDIR: join(home, '.kube-cache'),
    CONDUIT_SANDBOX_POD_CIDR: podCidr,
    CONDUIT_SANDBOX_SERVICE_CIDR: serviceCidr,
    NO_COLOR: '1',
  });
  let bashPid: number | undefined;

  return {
    path,
    blocks,
    home,
    env,
    run(deadlineMs) {
      const scriptPath = join(home, '.runbook.sh');
      writeFileSync(scriptPath, runbookScript(blocks, relativePath));
      const started = Date.now();
      // Its own process group: the deadline kills bash and everything it started in the foreground or background.
      const child = spawn('bash', ['--noprofile', '--norc', scriptPath], { cwd: home, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      bashPid = child.pid;
      let transcript = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (transcript += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (transcript += chunk));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child.pid);
      }, deadlineMs);
      return new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code) => {
          clearTimeout(timer);
          const durationMs = Date.now() - started;
          if (timedOut) transcript += `\n[runbook killed at its deadline of ${deadlineMs / 1000}s]\n`;
          // RUNBOOK_TRANSCRIPTS=DIR keeps each transcript, to refresh a runbook's output excerpts from a real run.
          const keep = process.env.RUNBOOK_TRANSCRIPTS;
          if (keep) writeFileSync(join(keep, `${basename(relativePath, '.md')}.txt`), transcript);
          resolve({ code, timedOut, transcript, durationMs });
        });
      });
    },
    async cleanup() {
      spawnSync(join(BIN, 'conduitctl'), ['sandbox', 'down'], { env, cwd: home, stdio: 'ignore', timeout: 30_000 });
      for (const pid of balancerPids(home)) killBalancer(pid);
      killGroup(bashPid);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** pids in *.pid files under `dir` that belong to a running haproxy or nginx. */
function balancerPids(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.pid')) continue;
    const pid = Number(readFileSync(join(entry.parentPath, entry.name), 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 1) continue;
    try {
      if (/haproxy|nginx/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) found.push(pid);
    } catch {
      // not running
    }
  }
  return found;
}

function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function killGroup(pid: number | undefined): void {
  if (pid) killPid(-pid);
}

/** A daemonized haproxy or nginx leads its own process group (master and workers): kill the group, then the pid. */
function killBalancer(pid: number): void {
  killGroup(pid);
  killPid(pid);
}

/**
 * One runbook test file: runs the runbook once (its first test: every block, exit 0, else the
 * transcript), then `claims(transcript)` declares the tests of what the runbook says it shows;
 * cleanup() runs whatever happened.
 */
export function describeRunbook(relativePath: string, testFileUrl: string, claims: (transcript: () => string) => void, deadlineMs = 110_000): void {
  const book = runbook(relativePath, testFileUrl);
  describe(relativePath, () => {
    let result: RunbookResult | undefined;
    afterAll(() => book.cleanup(), 60_000);

    it('runs every sh block in order and exits 0', async () => {
      result = await book.run(deadlineMs);
      expect(result.code, result.transcript).toBe(0);
    }, deadlineMs + 10_000);

    claims(() => {
      if (!result) throw new Error(`${relativePath} did not run`);
      return result.transcript;
    });
  });
}
