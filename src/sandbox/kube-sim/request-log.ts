// Every API request kube-sim answered, for assertions such as "a dry run sent no mutating request".

export interface RequestLogEntry {
  time: string;
  method: string;
  /** Path as sent (still percent-encoded). */
  path: string;
  query: string;
  contentType: string | undefined;
  userAgent: string | undefined;
  status: number;
  verb: string | undefined;
  resource: string | undefined;
  subresource: string | undefined;
}

const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A request that changes cluster state. SelfSubjectAccessReview is a POST that changes nothing,
 * and a pods/proxy GET only reads the pod; neither counts.
 */
export function isMutating(entry: RequestLogEntry): boolean {
  if (!MUTATING_METHODS.has(entry.method)) return false;
  return entry.resource !== 'selfsubjectaccessreviews';
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  constructor(private readonly limit = 10_000) {}

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  list(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  mutating(): RequestLogEntry[] {
    return this.list().filter(isMutating);
  }

  clear(): void {
    this.entries = [];
  }
}
