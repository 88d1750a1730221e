import type { Clock } from '../ops/ports/index.js';
import type { Terminal } from '../ui/iostreams.js';
import type { Adapters } from './adapters.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * What the process gives every command (gh's Factory): built once by main.ts, the only file that
 * touches process.*. Heavy clients (Kubernetes, HTTP) are reached through `adapters`, which load
 * them only when a command's Session first needs them, so `conduitctl --version` never pays for
 * them; tests pass fakes of the ports instead (test/support/cli).
 */
export interface Factory {
  /** `conduitctl`, or `kubectl conduit` when run as a kubectl plugin. */
  programName: string;
  version: string;
  terminal: Terminal;
  env: Env;
  clock: Clock;
  /** Who holds a Lease this process takes: `conduitctl@HOST/PID`. */
  operator: string;
  /** Aborted on the first SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** Where this build lives: commands that start programs of their own (sandbox) start these. */
  installation: Installation;
  /** Builds the adapters a Session wires to the ports. */
  adapters: Adapters;
}

export interface Installation {
  /** The running CLI's entry module (dist/conduitctl.js when bundled), for `node ENTRY args…`. */
  cliEntry: string;
  /** The built tree (dist/): the sandbox daemon is dist/sandbox/main.js. */
  distDir: string;
}
