// Extra headers (impersonation) on every API request, and kubectl's -v=6/-v=8 trace: one line per
// call (method, URL, status, time) and, at 8, the request bodies. Credentials never appear: the
// Authorization header is not printed, and any secret the run holds is masked in what is.

export interface RequestExtras {
  /** Added to every request, e.g. Impersonate-Group. */
  headers?: Record<string, string>;
  trace?: (line: string) => void;
  traceBodies?: boolean;
  /** Values masked wherever they would appear in a trace line (a --token). */
  secrets?: string[];
}

export interface CallTrace {
  /** Call when the answer (or the failure) is in. */
  done(status: number | string): void;
}

/** Starts the trace of one call, or undefined when nothing is traced. */
export function traceCall(extras: RequestExtras, method: string, url: string, body: string | undefined): CallTrace | undefined {
  const { trace, traceBodies = false, secrets = [] } = extras;
  if (!trace) return undefined;
  const mask = (text: string) => secrets.filter(Boolean).reduce((out, secret) => out.split(secret).join('***'), text);
  if (traceBodies && body) trace(mask(`Request Body: ${body}`));
  const at = performance.now();
  return { done: (status) => trace(mask(`${method} ${url} ${status} in ${Math.round(performance.now() - at)} milliseconds`)) };
}
