// The process boundary: argv, env, signals → AbortController, exit code. The only file that
// touches process.exit and process.env.
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from './util/clock.js';
import { InterruptedError } from './ops/errors.js';
import { EXIT } from './cli/exit-codes.js';
import { terminalEnv } from './ui/terminal-env.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
const args = process.argv.slice(2);

// `--version` alone answers before the command tree (commander and every verb's flags) loads:
// runbooks and completion scripts call it often. Same output as the program's own --version.
if (args.length === 1 && args[0] === '--version') {
  process.stdout.write(`${version}\n`);
  process.exit(0);
}

const controller = new AbortController();
let signalsSeen = 0;
function onSignal(signal: NodeJS.Signals): void {
  signalsSeen += 1;
  // A second Ctrl-C means "now": the first one is already undoing what this run did.
  if (signalsSeen > 1) process.exit(EXIT.interrupted);
  controller.abort(new InterruptedError(`received ${signal}`));
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// A dropped SSH session: the operator is gone, so undo this run's drains exactly as for SIGTERM.
process.on('SIGHUP', onSignal);
// With the terminal gone, writes fail (EIO, EPIPE); that must not kill the run before it undrains.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

const env = process.env;
const invokedAs = basename(process.argv[1] ?? 'conduitctl');

const [{ runCli }, { realAdapters }] = await Promise.all([import('./cli/run.js'), import('./cli/adapters.js')]);
const code = await runCli(args, {
  programName: invokedAs.startsWith('kubectl-') ? `kubectl ${invokedAs.slice('kubectl-'.length)}` : 'conduitctl',
  version,
  terminal: {
    in: process.stdin,
    out: process.stdout,
    err: process.stderr,
    env: terminalEnv(env),
  },
  env,
  clock: systemClock,
  operator: `conduitctl@${hostname()}/${process.pid}`,
  signal: controller.signal,
  installation: { cliEntry: fileURLToPath(import.meta.url), distDir: fileURLToPath(new URL('.', import.meta.url)) },
  adapters: realAdapters,
});
// Adapters close their sockets; exit explicitly anyway so a stray handle cannot hold a runbook.
process.exit(code);
