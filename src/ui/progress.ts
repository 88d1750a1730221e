import ora, { type Ora } from 'ora';
import type { IOStreams } from './iostreams.js';

/** A one-line live status on stderr; a silent no-op when the terminal is not interactive. */
export interface Progress {
  update(text: string): void;
  /** A line that must stay on screen (stderr; also without a spinner, unless -q). */
  log(text: string): void;
  /** Stop the spinner and leave a final line on the terminal (nothing when not interactive). */
  finish(symbol: 'ok' | 'fail' | 'warn' | 'info', text: string): void;
  stop(): void;
}

const SYMBOLS = { ok: '✔', fail: '✖', warn: '!', info: 'ℹ' } as const;

export function createProgress(io: IOStreams, initial = ''): Progress {
  const spinner: Ora | undefined = io.progress
    ? ora({ text: initial, stream: io.err, isEnabled: true, color: io.color ? 'cyan' : false }).start()
    : undefined;
  return {
    update(text) {
      if (spinner) spinner.text = text;
    },
    log(text) {
      if (io.quiet) return;
      spinner?.clear();
      io.err.write(`${text}\n`);
      spinner?.render();
    },
    finish(symbol, text) {
      spinner?.stopAndPersist({ symbol: SYMBOLS[symbol], text });
    },
    stop() {
      spinner?.stop();
    },
  };
}

/** How a command turns an op's events into text: lines that stay, and the live status line. */
export interface EventText<E> {
  line?(event: E): string | undefined;
  status?(event: E): string | undefined;
}

/** An op's onEvent handler that logs lasting lines and updates the live line. */
export function followEvents<E>(progress: Progress, text: EventText<E>): (event: E) => void {
  return (event) => {
    const line = text.line?.(event);
    if (line) progress.log(line);
    const status = text.status?.(event);
    if (status) progress.update(status);
  };
}
