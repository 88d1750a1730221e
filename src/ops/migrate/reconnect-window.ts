// When a moved client reconnects: `reconnect_after` is drawn uniformly from [minMs, maxMs] by the
// gateway (reconnectAfterMs = minMs, jitterMs = maxMs - minMs). The default follows close code
// 1012's guidance (RFC 6455 §7.1.7 registry note): reconnect after a randomised 5–30 s.

export interface ReconnectWindow {
  minMs: number;
  maxMs: number;
}

export const DEFAULT_RECONNECT_WINDOW: ReconnectWindow = { minMs: 5_000, maxMs: 30_000 };

export function reconnectRequestOf(window: ReconnectWindow): { reconnectAfterMs: number; jitterMs: number } {
  if (!(Number.isSafeInteger(window.minMs) && window.minMs >= 0 && Number.isSafeInteger(window.maxMs) && window.maxMs >= window.minMs)) {
    throw new RangeError(`invalid reconnect window ${window.minMs}–${window.maxMs} ms`);
  }
  return { reconnectAfterMs: window.minMs, jitterMs: window.maxMs - window.minMs };
}
