// Runs the BUILT CLI (dist/conduitctl.js, the bundle bin/conduitctl loads) as a real process, the way an operator or a runbook does.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI_PATH = fileURLToPath(new URL('../../dist/conduitctl.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  /** Kill the process (SIGKILL) after this long; the test then fails on the exit code. */
  timeoutMs?: number;
  input?: string;
  /** Another build of the CLI (the single file dist/conduitctl.mjs copied elsewhere); default CLI_PATH. */
  cliPath?: string;
  /** Working directory of the process; default this one. */
  cwd?: string;
}

/** A clean environment: no colour forcing, no CI-ness leaking in unless a test asks for it. */
function cliEnv(extra: CliOptions['env']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  delete env.CONDUIT_ADMIN_TOKEN;
  delete env.KUBECONFIG;
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves when the process has exited. */
  result: Promise<CliResult>;
  /** Text seen on stderr so far. */
  stderr(): string;
  stdout(): string;
}

export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [options.cliPath ?? CLI_PATH, ...args], {
    env: cliEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  if (options.input !== undefined) child.stdin!.end(options.input);
  else child.stdin!.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const result = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, result, stderr: () => stderr, stdout: () => stdout };
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

/** Resolves once `predicate(stderr)` holds, or rejects after `timeoutMs`. */
export async function waitForOutput(cli: RunningCli, predicate: (text: string) => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!predicate(cli.stderr() + cli.stdout())) {
    if (cli.child.exitCode !== null) throw new Error(`CLI exited early:\n${cli.stderr()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for output; saw:\n${cli.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
