// The gateway's status notices, read as the probe pool reads them (docs/admin-contract.md).
import { REFERENCE_PROTOCOL } from '../../ops/ports/probe.js';
import { messageReader } from '../pool/messages.js';

export interface StatusNotice {
  /** `migrating`, `shutting_down`, or whatever else the gateway names. */
  status: string;
  /** A migrating notice's new_endpoint, when it is a ws(s) URL. */
  newEndpoint?: string;
  reconnectAfterMs?: number;
}

const reader = messageReader(REFERENCE_PROTOCOL);

export function readStatusNotice(text: string, base: string): StatusNotice | undefined {
  if (!text.startsWith('{') || !text.includes('"status"')) return undefined;
  const message = reader.read(text);
  if (message.kind !== 'notice') return undefined;
  return { status: message.status, newEndpoint: webSocketEndpoint(message.endpoint, base), reconnectAfterMs: message.reconnectAfterMs };
}

function webSocketEndpoint(endpoint: string | undefined, base: string): string | undefined {
  if (endpoint === undefined) return undefined;
  try {
    const url = new URL(endpoint, base);
    return url.protocol === 'ws:' || url.protocol === 'wss:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
