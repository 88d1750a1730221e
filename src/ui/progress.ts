import type { Ora } from 'ora';
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

/** How often a piped or CI stderr gets a plain progress line (it has no live line to watch). */
export const PLAIN_PROGRESS_INTERVAL_MS = 10_000;

export interface ProgressTiming {
  /** Monotonic milliseconds. */
  now(): number;
  intervalMs?: number;
}

const monotonic: ProgressTiming = { now: () => performance.now() };

export function createProgress(io: IOStreams, initial = '', timing: ProgressTiming = monotonic): Progress {
  // ora (with chalk, string-width, signal-exit …) loads only when a spinner is shown: a piped,
  // CI or -o json run never pays for it (~40 ms per Kubernetes command on Node 24, issue 11).
  let spinner: Ora | undefined;
  let liveText = initial;
  let ended = false;
  if (io.progress) {
    void import('ora')
      .then(({ default: ora }) => {
        if (!ended) spinner = ora({ text: liveText, stream: io.err, isEnabled: true, color: io.color ? 'cyan' : false }).start();
      })
      .catch(() => undefined); // no spinner then: the run itself does not depend on it
  }
  // Without a spinner, the latest status is printed as a plain line at most every interval, so a
  // long wait in CI or behind a pipe still shows that it is alive and where it stands.
  const interval = timing.intervalMs ?? PLAIN_PROGRESS_INTERVAL_MS;
  let lastPlainLine = timing.now();
  return {
    update(text) {
      if (io.progress) {
        liveText = text;
        if (spinner) spinner.text = text;
        return;
      }
      if (io.quiet || timing.now() - lastPlainLine < interval) return;
      lastPlainLine = timing.now();
      io.err.write(`${text}\n`);
    },
    log(text) {
      if (io.quiet) return;
      spinner?.clear();
      io.err.write(`${text}\n`);
      spinner?.render();
    },
    finish(symbol, text) {
      ended = true;
      if (spinner) spinner.stopAndPersist({ symbol: SYMBOLS[symbol], text });
      // Finished before the spinner could start: the same final line, without one.
      else if (io.progress) io.err.write(`${SYMBOLS[symbol]} ${text}\n`);
    },
    stop() {
      ended = true;
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
