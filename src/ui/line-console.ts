// Reads lines from stdin — with a prompt and line editing on a terminal, plainly when piped — and
// prints lines from elsewhere without breaking the line being typed.
import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import type { IOStreams, OutStream } from './iostreams.js';

export interface LineConsoleHandlers {
  line(text: string): void;
  /** Ctrl-D at the prompt, or the end of piped input. */
  end(): void;
  /** Ctrl-C at the prompt (the terminal is in raw mode, so no SIGINT reaches the process). */
  interrupt(): void;
}

export interface LineConsole {
  /** True when a person types at a terminal prompt. */
  readonly interactive: boolean;
  write(stream: 'out' | 'err', line: string): void;
  /** Start reading (and, on a terminal, show the prompt). */
  start(handlers: LineConsoleHandlers): void;
  close(): void;
}

export function createLineConsole(io: IOStreams, promptText = '> '): LineConsole {
  const promptOn: OutStream | undefined = io.stdinIsTTY ? (io.out.isTTY ? io.out : io.err.isTTY ? io.err : undefined) : undefined;
  let rl: Interface | undefined;
  let closing = false;

  return {
    interactive: promptOn !== undefined,
    write(stream, line) {
      const target = stream === 'out' ? io.out : io.err;
      if (!rl || !promptOn) {
        target.write(`${line}\n`);
        return;
      }
      clearLine(promptOn, 0);
      cursorTo(promptOn, 0);
      target.write(`${line}\n`);
      rl.prompt(true);
    },
    start(handlers) {
      if (rl) return;
      rl = promptOn
        ? createInterface({ input: io.in, output: promptOn, terminal: true, prompt: promptText })
        : createInterface({ input: io.in, terminal: false, crlfDelay: Infinity });
      rl.on('line', (text) => {
        handlers.line(text);
        if (promptOn && !closing) rl?.prompt();
      });
      rl.on('close', () => {
        if (!closing) handlers.end();
      });
      rl.on('SIGINT', () => handlers.interrupt());
      if (promptOn) rl.prompt();
    },
    close() {
      if (closing) return;
      closing = true;
      if (promptOn && rl) {
        clearLine(promptOn, 0);
        cursorTo(promptOn, 0);
      }
      rl?.close();
    },
  };
}
