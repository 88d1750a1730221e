import type { SampleOutcome } from '../ops/ports/index.js';

/** Raised by our own per-request timer, so a timeout is never mistaken for a refused connection. */
export class SampleTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs}ms`);
  }
}

/** A socket-level failure as a sample outcome and a short detail (the errno code, never a stack). */
export function classifyNetworkError(error: unknown): { outcome: Extract<SampleOutcome, 'unreachable' | 'timeout'>; detail: string } {
  if (error instanceof SampleTimeout) return { outcome: 'timeout', detail: error.message };
  const { code, message, address } = error as { code?: string; message?: string; address?: string };
  if (code === 'ETIMEDOUT' || /timed out/i.test(message ?? '')) return { outcome: 'timeout', detail: code ?? message ?? 'timed out' };
  if (code === 'EADDRNOTAVAIL') return { outcome: 'unreachable', detail: `EADDRNOTAVAIL: cannot use source address${address ? ` ${address}` : ''}` };
  return { outcome: 'unreachable', detail: code ?? message ?? 'connection failed' };
}
