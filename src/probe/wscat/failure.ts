// Why a connection attempt failed, in words an operator can act on (never a stack, never a header).

export type ConnectFailure =
  | { kind: 'timeout'; detail: string }
  | { kind: 'refused-upgrade'; status: number; body: string }
  | { kind: 'network'; detail: string };

const UNSAFE = /[\u0000-\u001f\u007f-\u009f]+/g;

export function classifyConnectError(error: Error | undefined): ConnectFailure {
  if (!error) return { kind: 'network', detail: 'the connection closed before the upgrade' };
  const { code, message } = error as Error & { code?: string };
  if (/handshake has timed out/i.test(message) || code === 'ETIMEDOUT') return { kind: 'timeout', detail: message };
  if (code && /^(ERR_TLS|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO|ERR_SSL)/.test(code)) return { kind: 'network', detail: `TLS: ${message} (${code})` };
  return { kind: 'network', detail: code && !message.includes(code) ? `${code}: ${message}` : message };
}

/** A refused upgrade's body, one bounded line. */
export function bodySnippet(body: string, max = 120): string {
  const line = body.replace(UNSAFE, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
