// Why a connection attempt failed, in words an operator can act on (never a stack, never a header).
import { classifyConnectError as classifyCause } from '../pool/failure.js';

export type ConnectFailure =
  | { kind: 'timeout'; detail: string }
  | { kind: 'refused-upgrade'; status: number; body: string }
  | { kind: 'network'; detail: string };

const CAUSE_WORDS: Record<string, string> = {
  refused: 'connection refused',
  reset: 'connection reset',
  dns: 'host not found',
  tls: 'TLS handshake failed',
  'source-address': 'cannot bind the source address',
};

export function classifyConnectError(error: Error | undefined): ConnectFailure {
  if (!error) return { kind: 'network', detail: 'the connection closed before the upgrade' };
  const { cause, detail } = classifyCause(error);
  if (cause === 'timeout') return { kind: 'timeout', detail };
  const words = CAUSE_WORDS[cause];
  return { kind: 'network', detail: words ? `${words} (${detail})` : detail };
}

const UNSAFE = /[\u0000-\u001f\u007f-\u009f]+/g;

/** A refused upgrade's body, one bounded line. */
export function bodySnippet(body: string, max = 120): string {
  const line = body.replace(UNSAFE, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
