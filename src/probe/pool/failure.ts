import type { ConnectFailureCause } from '../../ops/ports/index.js';

/** Raised by the pool's sweep when a handshake and hello take longer than the handshake timeout. */
export class HandshakeTimeout extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(timeoutMs: number) {
    super(`no hello within ${timeoutMs} ms`);
  }
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|EPROTO)/;

/** A failed attempt's cause and a short detail (the errno or TLS code, never a stack or a header). */
export function classifyConnectError(error: unknown): { cause: ConnectFailureCause; detail: string } {
  const { code, message } = error as { code?: string; message?: string };
  const detail = code ?? message ?? 'connection failed';
  if (code === 'ECONNREFUSED') return { cause: 'refused', detail };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { cause: 'reset', detail };
  if (error instanceof HandshakeTimeout) return { cause: 'timeout', detail: error.message };
  if (code === 'ETIMEDOUT' || /timed out|timeout/i.test(message ?? '')) return { cause: 'timeout', detail: code ?? 'timed out' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { cause: 'dns', detail };
  if (code === 'EADDRNOTAVAIL') return { cause: 'source-address', detail: 'EADDRNOTAVAIL: cannot bind the source address' };
  if ((code && TLS_CODES.test(code)) || /certificate|ssl|tls/i.test(message ?? '')) return { cause: 'tls', detail: code ?? (message ?? 'TLS').slice(0, 120) };
  return { cause: 'other', detail: detail.slice(0, 120) };
}
