import type { Readable, Writable } from 'node:stream';

export type OutputFormat = 'table' | 'wide' | 'json' | 'yaml';

/** A writable that may be a terminal. */
export type OutStream = Writable & { isTTY?: boolean; columns?: number };

/** The process's streams and the environment facts that decide how we print. Built by main.ts. */
export interface Terminal {
  in: Readable & { isTTY?: boolean };
  out: OutStream;
  err: OutStream;
  /** Colour off (non-empty NO_COLOR, FORCE_COLOR=0), colour forced, CI present, TERM=dumb (ui/terminal-env.ts). */
  env: { noColor: boolean; forceColor: boolean; ci: boolean; dumb: boolean };
}

/** How this command prints: decided once from the terminal and the global flags. */
export interface IOStreams {
  in: Terminal['in'];
  out: OutStream;
  err: OutStream;
  format: OutputFormat;
  color: boolean;
  /** Spinners and progress lines: only on an interactive stderr, never with -q, -o json/yaml or in CI. */
  progress: boolean;
  quiet: boolean;
  verbosity: number;
  stdinIsTTY: boolean;
}

export interface PrintFlags {
  output: OutputFormat;
  color: boolean;
  quiet: boolean;
  verbosity: number;
}

export function createIOStreams(terminal: Terminal, flags: PrintFlags): IOStreams {
  const { env } = terminal;
  const color = flags.color && !env.noColor && !env.dumb && (env.forceColor || !!terminal.out.isTTY);
  const machine = flags.output === 'json' || flags.output === 'yaml';
  // ora loops forever on a TTY with 0 columns (ecosystem.md §8), so demand a real width.
  const interactiveErr = !!terminal.err.isTTY && (terminal.err.columns ?? 0) > 0;
  return {
    in: terminal.in,
    out: terminal.out,
    err: terminal.err,
    format: flags.output,
    color,
    progress: interactiveErr && !env.ci && !env.dumb && !flags.quiet && !machine,
    quiet: flags.quiet,
    verbosity: flags.verbosity,
    stdinIsTTY: !!terminal.in.isTTY,
  };
}
