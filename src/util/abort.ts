import { setMaxListeners } from 'node:events';

/** True when an error is the rejection of an aborted wait (AbortSignal / timers/promises). */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}

/**
 * A signal that follows `signal` and may carry `listeners` abort listeners (one per request in
 * flight) without Node's MaxListenersExceededWarning; the caller's signal gets one listener.
 */
export function fanOutSignal(signal: AbortSignal, listeners: number): AbortSignal {
  const controller = new AbortController();
  setMaxListeners(listeners + 1, controller.signal);
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  return controller.signal;
}
