/** True when an error is the rejection of an aborted wait (AbortSignal / timers/promises). */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}
