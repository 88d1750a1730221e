// The process boundary: argv, env, signals → AbortController, exit code. The only file that
// touches process.exit and process.env.
import module, { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from './util/clock.js';
import { InterruptedError } from './ops/errors.js';
import { EXIT } from './cli/exit-codes.js';
import { terminalEnv } from './ui/terminal-env.js';

/** Set by scripts/bundle.mjs: the single-file bundle has no package.json next to it. */
declare const CONDUITCTL_VERSION: string | undefined;
const version =
  typeof CONDUITCTL_VERSION === 'string' ? CONDUITCTL_VERSION : (createRequire(import.meta.url)('../package.json') as { version: string }).version;
const args = process.argv.slice(2);

// `--version` alone answers before the command tree (commander and every verb's flags) loads:
// runbooks and completion scripts call it often. Same output as the program's own --version.
if (args.length === 1 && args[0] === '--version') {
  process.stdout.write(`${version}\n`);
  process.exit(0);
}

// Node 22+ keeps compiled code of the bundle's chunks between runs (in os.tmpdir()/node-compile-cache,
// or NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off). Node 20 has no such cache. A
// cache that cannot be written only costs the saving, never the command.
try {
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
} catch {
  // An unusable cache directory: run without it.
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
