// What a wscat session prints. Messages go to stdout ("< message" on a terminal, the bare message
// when piped, as wscat does); connection events go to stderr; the close code and reason always.
import type { Palette as ChalkInstance } from '../../ui/color.js';
import type { ChatEvent, ConnectFailure, StatusNotice } from '../../probe/wscat/index.js';
import { formatDuration } from '../../util/duration.js';
import { isCredentialHeader, redactedUrl } from './target.js';

export interface Line {
  stream: 'out' | 'err';
  text: string;
}

export interface ChatView {
  /** stdout is a terminal: prefixes and escaped control characters. */
  decorated: boolean;
  /** A person types at a prompt (the hint on connect). */
  interactive: boolean;
  paint: ChalkInstance;
  quiet: boolean;
  verbosity: number;
}

const CLOSE_CODE_NAMES: Record<number, string> = {
  1000: 'normal closure',
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1005: 'no status code',
  1006: 'abnormal closure: no close frame',
  1007: 'invalid payload',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'missing extension',
  1011: 'internal error',
  1012: 'service restart',
  1013: 'try again later',
  1014: 'bad gateway',
};

/** Closes that end a session normally when the server initiates them (the gateway contract's planned closes). */
export function isNormalServerClose(code: number): boolean {
  return code === 1000 || code === 1001 || code === 1012;
}

// A server's text must not drive the terminal (cursor moves, title changes): controls are shown escaped.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
function visible(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const MAX_BINARY_SHOWN = 64;

export function describeClose(code: number, reason: string): string {
  const name = CLOSE_CODE_NAMES[code] ?? (code >= 4000 ? 'application' : code >= 3000 ? 'registered' : 'unknown');
  return `code ${code} (${name}), reason ${reason ? JSON.stringify(reason) : '""'}`;
}

function describeNotice(notice: StatusNotice): string {
  if (notice.status === 'migrating') {
    const where = notice.newEndpoint ? `to ${redactedUrl(notice.newEndpoint)}` : 'without a new_endpoint';
    const when = notice.reconnectAfterMs === undefined ? 'no reconnect_after' : `reconnect after ${formatDuration(notice.reconnectAfterMs)}`;
    return `notice: migrating ${where}, ${when}`;
  }
  if (notice.status === 'shutting_down') return 'notice: shutting_down (the gateway is going away)';
  return `notice: ${notice.status}`;
}

export function describeFailure(failure: ConnectFailure): string {
  switch (failure.kind) {
    case 'refused-upgrade':
      return `the upgrade was answered with HTTP ${failure.status}${failure.body ? ` ${failure.body}` : ''}`;
    case 'timeout':
      return `no answer to the opening handshake in time (${failure.detail})`;
    default:
      return failure.detail;
  }
}

export function renderSent(text: string, view: ChatView): Line[] {
  return view.decorated ? [{ stream: 'out', text: view.paint.green(`> ${visible(text)}`) }] : [];
}

export function renderEvent(event: ChatEvent, view: ChatView): Line[] {
  const { paint } = view;
  const info = (text: string): Line[] => (view.quiet ? [] : [{ stream: 'err', text }]);
  switch (event.type) {
    case 'connecting':
      return view.verbosity > 0 ? info(paint.dim(`connecting to ${redactedUrl(event.url)}…`)) : [];
    case 'open': {
      const facts = [event.instance && `instance ${event.instance}`, event.protocol && `subprotocol ${event.protocol}`].filter(Boolean).join(', ');
      const hint = view.interactive ? ' — type a message, /help, Ctrl-C to quit' : '';
      return info(paint.green(`connected to ${redactedUrl(event.url)}${facts ? ` (${facts})` : ''}${hint}`));
    }
    case 'message': {
      const lines: Line[] = [{ stream: 'out', text: view.decorated ? paint.blue(`< ${visible(event.text)}`) : event.text }];
      if (event.notice) lines.push(...info(paint.yellow(describeNotice(event.notice))));
      return lines;
    }
    case 'binary': {
      const hex = event.data.subarray(0, view.decorated ? MAX_BINARY_SHOWN : undefined).toString('hex');
      const more = view.decorated && event.data.length > MAX_BINARY_SHOWN ? '…' : '';
      return [{ stream: 'out', text: view.decorated ? paint.blue(`< [binary, ${event.data.length} bytes] ${hex}${more}`) : hex }];
    }
    case 'ping':
      return view.verbosity > 0 ? info(paint.dim('received a ping (answered)')) : [];
    case 'pong':
      return info(paint.green(`pong: round trip ${event.rttMs < 10 ? event.rttMs.toFixed(2) : Math.round(event.rttMs)}ms`));
    case 'closed': {
      const by = event.byUs ? 'you closed it' : event.code === 1006 ? 'the connection was cut' : 'closed by the server';
      const after = !event.byUs && event.notice ? ` after a ${event.notice.status} notice` : !event.byUs && event.code !== 1006 ? ', with no notice before it' : '';
      const text = `disconnected: ${describeClose(event.code, event.reason)} — ${by}${after}`;
      // Always shown, -q included: how a connection ended is the point of this command.
      return [{ stream: 'err', text: event.byUs || isNormalServerClose(event.code) ? paint.green(text) : paint.red(text) }];
    }
    case 'connect-failed':
      return [{ stream: 'err', text: paint.red(`cannot connect to ${redactedUrl(event.url)}: ${describeFailure(event.failure)}`) }];
    case 'reconnecting': {
      const why = event.migrating ? 'as the migrating notice asked' : 'back-off';
      return info(paint.yellow(`reconnecting to ${redactedUrl(event.url)} in ${formatDuration(event.delayMs)} (${why})`));
    }
  }
}

export const WAITING_HINT = 'not connected: the line was not sent';

/** -v: the headers sent with the upgrade; a value that may be a credential is never shown. */
export function renderRequestHeaders(headers: Record<string, string>, view: ChatView): Line[] {
  if (view.verbosity === 0 || view.quiet) return [];
  return Object.entries(headers).map(([name, value]) => ({
    stream: 'err',
    text: view.paint.dim(`header ${name}: ${isCredentialHeader(name) ? '***' : value}`),
  }));
}
