// Extra headers (impersonation) on every API request, and kubectl's -v=6/-v=8 trace: one line per
// call (method, URL, status, time) and, at 8, the request bodies. Credentials never appear: the
// Authorization header is not printed, and any secret the run holds is masked in what is.

import { Observable, type ObservableMiddleware, type RequestContext, type ResponseContext } from '@kubernetes/client-node';

export interface RequestExtras {
  /** Added to every request, e.g. Impersonate-Group. */
  headers?: Record<string, string>;
  trace?: (line: string) => void;
  traceBodies?: boolean;
  /** Values masked wherever they would appear in a trace line (a --token). */
  secrets?: string[];
}

/** A middleware for ONE call (its request and its response), or undefined when there is nothing to do. */
export function callMiddleware(extras: RequestExtras): ObservableMiddleware | undefined {
  const { headers = {}, trace, traceBodies = false, secrets = [] } = extras;
  if (!trace && Object.keys(headers).length === 0) return undefined;
  const mask = (text: string) => secrets.filter(Boolean).reduce((out, secret) => out.split(secret).join('***'), text);
  let last: { method: string; url: string; at: number } | undefined;
  return {
    pre: (context: RequestContext) => {
      for (const [name, value] of Object.entries(headers)) context.setHeaderParam(name, value);
      if (trace) {
        last = { method: context.getHttpMethod(), url: context.getUrl(), at: performance.now() };
        const body = context.getBody();
        if (traceBodies && typeof body === 'string' && body) trace(mask(`Request Body: ${body}`));
      }
      return new Observable(Promise.resolve(context));
    },
    post: (response: ResponseContext) => {
      if (trace && last) trace(mask(`${last.method} ${last.url} ${response.httpStatusCode} in ${Math.round(performance.now() - last.at)} milliseconds`));
      return new Observable(Promise.resolve(response));
    },
  };
}
