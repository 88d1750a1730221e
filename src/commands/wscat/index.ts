import { Command } from '../../cli/commander.js';
import type { Factory } from '../../cli/factory.js';
import { durationFlag, integerFlag } from '../../cli/flags.js';
import { openSession } from '../../cli/session.js';
import { UsageError } from '../../ops/errors.js';
import type { RunCommand } from '../shared/index.js';
import { checkSubprotocols, parseHeaders, webSocketUrl } from './target.js';

export interface WscatCommandOptions {
  url: string;
  headers: Record<string, string>;
  subprotocols: string[];
  /** -x: send these, wait, close with 1000. Empty: an interactive (or piped) session. */
  execute: string[];
  /** How long to wait after -x (default 2s, as wscat) or after piped stdin ends (default 0). */
  waitMs?: number;
  autoReconnect: boolean;
  maxReconnects: number;
  connectTimeoutMs: number;
  caFile?: string;
  slashCommands: boolean;
}

type Flags = Record<string, string | string[] | boolean | undefined>;

const collect = (value: string, previous: string[] = []) => [...previous, value];
const list = (value: unknown) => (value as string[] | undefined) ?? [];

function readOptions(url: string, flags: Flags): WscatCommandOptions {
  const execute = list(flags.execute);
  if (execute.length > 0 && flags.autoReconnect) throw new UsageError('-x sends its messages and closes; --auto-reconnect does not apply');
  const caFile = flags.caFile as string | undefined;
  if (caFile === '') throw new UsageError('--ca-file: empty path');
  for (const message of execute) {
    if (Buffer.byteLength(message) > 16 * 1024 * 1024) throw new UsageError('-x: a message above 16 MiB');
  }
  return {
    url: webSocketUrl(url),
    headers: parseHeaders(list(flags.header)),
    subprotocols: checkSubprotocols(list(flags.subprotocol)),
    execute,
    waitMs: flags.wait === undefined ? undefined : durationFlag('-w/--wait', flags.wait as string, { allowZero: true }),
    autoReconnect: !!flags.autoReconnect,
    maxReconnects: integerFlag('--max-reconnects', flags.maxReconnects as string, { min: 0, max: 1000 }),
    connectTimeoutMs: durationFlag('--connect-timeout', flags.connectTimeout as string),
    caFile,
    slashCommands: flags.slash !== false,
  };
}

export function defineWscatCommand(f: Factory, runF?: RunCommand<WscatCommandOptions>): Command {
  return new Command('wscat')
    .summary('talk to a WebSocket gateway by hand: print what arrives, send what you type')
    .description(
      'Open one WebSocket connection to URL and print every message that arrives (on a terminal ' +
        'as "< message", coloured; piped, as plain lines). Each line typed (or read from piped ' +
        'stdin) is sent as one text message. Slash commands: /ping prints the round trip, /close ' +
        '[code [reason]] closes, /help lists them; //text sends "/text". Connection events — ' +
        'connected, notices, the close code and reason, always — go to stderr.\n\n' +
        'With --auto-reconnect a `migrating` notice is followed: the client reconnects to its ' +
        'new_endpoint after reconnect_after, as a real client must; after any other close it ' +
        'reconnects to the same URL with jittered exponential back-off.\n\n' +
        'Exit codes: 0 closed normally (by you — /close, Ctrl-C or Ctrl-D at the prompt, the end ' +
        'of -x or of piped stdin — or by the server with 1000, 1001 or 1012); 1 the connection ' +
        'failed (refused, reset, TLS, an upgrade answered with an HTTP status) or closed ' +
        'abnormally (1006 without a close frame, any other code from the server), or ' +
        '--auto-reconnect gave up; 2 usage; 4 the opening handshake timed out (--connect-timeout); ' +
        '130 interrupted by a signal from outside (the connection is still closed with 1000).',
    )
    .argument('<url>', 'ws:// or wss:// URL (http(s):// and host:port/path are accepted)')
    .option('-H, --header <header>', '"Name: value" sent with the upgrade (repeatable); values are never printed', collect)
    .option('-s, --subprotocol <protocol>', 'offer this subprotocol (repeatable)', collect)
    .option('-x, --execute <message>', 'send this message once connected (repeatable), wait, close with 1000', collect)
    .option('-w, --wait <duration>', 'wait after -x (default 2s) or after piped stdin ends (default 0s) before closing')
    .option('--auto-reconnect', 'reconnect after a close: to a migrating notice’s new_endpoint, else with back-off')
    .option('--max-reconnects <n>', 'consecutive failed reconnects before giving up', '10')
    .option('--connect-timeout <duration>', 'deadline of each opening handshake', '10s')
    .option('--ca-file <path>', 'trust this CA bundle (PEM) for wss://')
    .option('--no-slash', 'send lines starting with / as messages (no slash commands)')
    .addHelpText(
      'after',
      `
Examples:
  # talk to one gateway; type a line to send it, /ping, /close 4000 done, Ctrl-C to quit
  ${f.programName} wscat ws://10.0.1.11:9088/v1/subscribe

  # one message, print the answers for 2 seconds, close with 1000 (exit 0)
  ${f.programName} wscat ws://lb.example.com/v1/subscribe -x '{"op":"subscribe","topic":"a"}'

  # every line of a file as one message; keep printing for 5 s after the last one
  ${f.programName} wscat wss://ws.example.com/v1/subscribe -w 5s < messages.txt

  # with a token and a subprotocol, through a rolling update, following migrating notices
  ${f.programName} wscat wss://ws.example.com/v1/subscribe -H "Authorization: Bearer $TOKEN" -s chat.v2 --auto-reconnect

  # a private CA
  ${f.programName} wscat wss://gw.internal:9443/v1/subscribe --ca-file ca.pem`,
    )
    .action(async (url: string, flags: Flags, cmd: Command) => {
      const session = openSession(f, cmd);
      const options = readOptions(url, flags);
      const run = runF ?? (await import('./run.js')).runWscat;
      await session.runAndClose(() => run(session, options));
    });
}
