// What a typed (or piped) line asks for: a message, or a slash command. Pure, so it is unit-tested.

export type LineCommand =
  | { kind: 'send'; text: string }
  | { kind: 'ping' }
  | { kind: 'close'; code: number; reason: string }
  | { kind: 'help' }
  | { kind: 'invalid'; message: string };

export const SLASH_HELP = [
  '/ping                    send a ping and print the round trip',
  '/close [code [reason]]   close the connection (default 1000), e.g. /close 4000 done',
  '/help                    this list',
  '//text                   send "/text" (a message starting with a slash)',
].join('\n');

/** Close codes an endpoint may send (RFC 6455 §7.4, as ws checks them). */
export function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

/** A close reason must fit the 125-byte control frame with its 2-byte code. */
export const MAX_CLOSE_REASON_BYTES = 123;

export function closeReasonProblem(reason: string): string | undefined {
  const bytes = Buffer.byteLength(reason, 'utf8');
  return bytes > MAX_CLOSE_REASON_BYTES ? `the close reason is ${bytes} bytes; at most ${MAX_CLOSE_REASON_BYTES} fit in a close frame` : undefined;
}

export function parseLine(line: string, slashCommands: boolean): LineCommand {
  if (!slashCommands || !line.startsWith('/')) return { kind: 'send', text: line };
  if (line.startsWith('//')) return { kind: 'send', text: line.slice(1) };
  const [name = '', ...args] = line.slice(1).trim().split(/\s+/);
  switch (name) {
    case 'ping':
      return args.length === 0 ? { kind: 'ping' } : { kind: 'invalid', message: '/ping takes no arguments' };
    case 'close':
      return parseClose(args);
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'invalid', message: `unknown command /${name}: try /help (start a message with // to send a leading slash)` };
  }
}

function parseClose([codeText, ...reasonWords]: string[]): LineCommand {
  if (codeText === undefined) return { kind: 'close', code: 1000, reason: '' };
  if (!/^\d{1,4}$/.test(codeText) || !isSendableCloseCode(Number(codeText))) {
    return { kind: 'invalid', message: `/close: "${codeText}" is not a close code a client may send (1000–1003, 1007–1014, 3000–4999)` };
  }
  const reason = reasonWords.join(' ');
  const problem = closeReasonProblem(reason);
  return problem ? { kind: 'invalid', message: `/close: ${problem}` } : { kind: 'close', code: Number(codeText), reason };
}
