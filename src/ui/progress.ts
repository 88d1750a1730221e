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
