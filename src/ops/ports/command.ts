// Another program run while the probe watches (a helm upgrade, a pm2 reload, a script).

export interface CommandExit {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: string | null;
  /** The program could not be started at all (ENOENT, EACCES). */
  startError?: string;
}

export interface RunningCommand {
  readonly exited: Promise<CommandExit>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs: number): Promise<CommandExit>;
}

export interface CommandRunner {
  start(argv: readonly string[]): RunningCommand;
}
