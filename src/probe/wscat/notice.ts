// The gateway's status notices (docs/admin-contract.md): `migrating` names where and when to
// reconnect; `shutting_down` announces a 1001. Anything else is an ordinary message.

export type StatusNotice =
  | { status: 'migrating'; newEndpoint?: string; reconnectAfterMs?: number }
  | { status: 'shutting_down' }
  | { status: 'other'; name: string };

/** Notices are small JSON objects; anything large or not starting like one is not parsed at all. */
const MAX_NOTICE_CHARS = 4_096;

export function readStatusNotice(text: string): StatusNotice | undefined {
  if (text.length > MAX_NOTICE_CHARS || !text.startsWith('{') || !text.includes('"status"')) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { type, status, details } = message as { type?: unknown; status?: unknown; details?: unknown };
  if (type !== 'status' || typeof status !== 'string') return undefined;
  if (status === 'shutting_down') return { status };
  if (status !== 'migrating') return { status: 'other', name: status };
  const { new_endpoint: endpoint, reconnect_after: after } = (details ?? {}) as { new_endpoint?: unknown; reconnect_after?: unknown };
  return {
    status,
    newEndpoint: typeof endpoint === 'string' && isWebSocketUrl(endpoint) ? endpoint : undefined,
    reconnectAfterMs: typeof after === 'number' && Number.isFinite(after) && after >= 0 ? after : undefined,
  };
}

function isWebSocketUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'ws:' || protocol === 'wss:';
  } catch {
    return false;
  }
}
