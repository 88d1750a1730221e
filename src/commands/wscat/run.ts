import { readFile } from 'node:fs/promises';
import type { Session } from '../../cli/session.js';
import { InterruptedError, TimeoutError, UsageError, VerificationError } from '../../ops/errors.js';
import type { ChatOutcome } from '../../probe/wscat/index.js';
import { palette } from '../../ui/color.js';
import { createLineConsole, type LineConsoleHandlers } from '../../ui/line-console.js';
import type { WscatCommandOptions } from './index.js';
import { parseLine, SLASH_HELP } from './line.js';
import { describeClose, isNormalServerClose, renderEvent, renderRequestHeaders, renderSent, WAITING_HINT, type ChatView, type Line } from './render.js';

const EXECUTE_WAIT_MS = 2_000;

export async function runWscat(session: Session, options: WscatCommandOptions): Promise<void> {
  const { io, factory, globals } = session;
  const ca = options.caFile === undefined ? undefined : await readCaFile(options.caFile);
  const { openChat } = await import('../../probe/wscat/index.js');
  const oneShot = options.execute.length > 0;
  const terminal = createLineConsole(io);
  const paint = palette(io);
  const view: ChatView = { decorated: !!io.out.isTTY, interactive: !oneShot && terminal.interactive, paint, quiet: io.quiet, verbosity: io.verbosity };
  const print = (lines: Line[]) => lines.forEach((line) => terminal.write(line.stream, line.text));

  print(renderRequestHeaders(options.headers, view));
  let connected = false;
  let inputEnded = false;
  let closeTimer: NodeJS.Timeout | undefined;
  /** Piped lines read while no connection is open: sent, in order, once one is. */
  const pending: string[] = [];

  const chat = openChat(
    {
      url: options.url,
      headers: options.headers,
      subprotocols: options.subprotocols,
      connectTimeoutMs: options.connectTimeoutMs,
      rejectUnauthorized: !globals.insecureSkipTlsVerify,
      ca,
      autoReconnect: options.autoReconnect,
      maxReconnects: options.maxReconnects,
    },
    (event) => {
      print(renderEvent(event, view));
      if (event.type === 'open') {
        connected = true;
        onOpen();
      } else if (event.type === 'closed') {
        connected = false;
      }
    },
  );
  const closeAfter = (ms: number) => {
    clearTimeout(closeTimer);
    closeTimer = setTimeout(() => chat.close(1000), ms);
  };

  function handleLine(text: string): void {
    if (!connected && !terminal.interactive) {
      pending.push(text);
      return;
    }
    const command = parseLine(text, options.slashCommands);
    switch (command.kind) {
      case 'send':
        // A line typed at the prompt is already on screen; a piped one is shown (on a terminal) as sent.
        if (chat.send(command.text)) print(terminal.interactive ? [] : renderSent(command.text, view));
        else if (!terminal.interactive) pending.push(text);
        else print([{ stream: 'err', text: paint.yellow(WAITING_HINT) }]);
        return;
      case 'ping':
        if (!chat.ping()) print([{ stream: 'err', text: paint.yellow(WAITING_HINT) }]);
        return;
      case 'close':
        chat.close(command.code, command.reason);
        return;
      case 'help':
        print([{ stream: 'err', text: SLASH_HELP }]);
        return;
      case 'invalid':
        print([{ stream: 'err', text: paint.red(command.message) }]);
    }
  }

  const handlers: LineConsoleHandlers = {
    line: handleLine,
    end() {
      inputEnded = true;
      if (terminal.interactive) chat.close(1000);
      else if (connected && pending.length === 0) closeAfter(options.waitMs ?? 0);
    },
    interrupt: () => chat.close(1000),
  };

  function onOpen(): void {
    if (oneShot) {
      for (const message of options.execute) if (chat.send(message)) print(renderSent(message, view));
      closeAfter(options.waitMs ?? EXECUTE_WAIT_MS);
      return;
    }
    terminal.start(handlers);
    for (const line of pending.splice(0)) handleLine(line);
    if (inputEnded) closeAfter(options.waitMs ?? 0);
  }

  const onSignal = () => chat.close(1000);
  factory.signal.addEventListener('abort', onSignal, { once: true });
  if (factory.signal.aborted) onSignal();
  let outcome: ChatOutcome;
  try {
    outcome = await chat.done;
  } finally {
    clearTimeout(closeTimer);
    factory.signal.removeEventListener('abort', onSignal);
    terminal.close();
  }
  if (factory.signal.aborted) throw new InterruptedError('interrupted; the connection was closed with 1000');
  failOnAbnormalEnd(outcome, options);
}

/** The exit code's decision: see `wscat --help`. */
export function failOnAbnormalEnd(outcome: ChatOutcome, options: WscatCommandOptions): void {
  switch (outcome.kind) {
    case 'stopped':
      return;
    case 'failed': {
      const what = options.autoReconnect && outcome.url !== options.url ? `gave up reconnecting after ${options.maxReconnects} failed attempts` : 'no connection';
      if (outcome.failure.kind === 'timeout') throw new TimeoutError(`${what}: the opening handshake timed out`, 'raise --connect-timeout, or check that the URL reaches a WebSocket endpoint');
      throw new VerificationError(what);
    }
    case 'closed':
      if (outcome.byUs && outcome.code !== 1006) return;
      if (outcome.byUs) throw new VerificationError('the server never answered the close frame; the connection was cut');
      if (isNormalServerClose(outcome.code)) return;
      throw new VerificationError(`the connection closed abnormally: ${describeClose(outcome.code, outcome.reason)}`);
  }
}

async function readCaFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new UsageError(`--ca-file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'cannot be read'}`);
  }
}
