// The StickySampler port (verify-sticky): simulated clients of a load balancer.

/** A cookie as one Set-Cookie header gave it. */
export interface SetCookie {
  name: string;
  value: string;
  /** Attributes as written, names lower-cased: path, domain, max-age, expires, httponly, secure, samesite. */
  attributes: Record<string, string | true>;
}

/**
 * What one request (or one WebSocket upgrade) came back with. Only `answered` names an instance
 * that counts; every other outcome is a fault that the report counts on its own.
 */
export type SampleOutcome =
  | 'answered' //         2xx (or a WebSocket hello) naming the instance
  | 'http-error' //       a non-2xx, non-3xx status, e.g. a draining instance's 503
  | 'redirect' //         3xx: never followed
  | 'missing-instance' // 2xx without the instance field/header, or a body that is not JSON
  | 'unreachable' //      refused, reset, DNS, TLS, closed before an answer
  | 'timeout';

export interface Sample {
  outcome: SampleOutcome;
  /** The instance that answered; set only when outcome is 'answered'. */
  instance?: string;
  httpStatus?: number;
  /** For faults: the instance and status the body named (a draining gateway still says who it is). */
  reportedInstance?: string;
  reportedStatus?: string;
  /** What went wrong, briefly: an error code, the Location of a redirect, the missing field. */
  detail?: string;
  /** Cookies the answer set (Set-Cookie, or the 101 response's for WebSocket). */
  setCookies: SetCookie[];
  /** Names of the cookies this request carried. */
  sentCookies: string[];
  /** Our end of the TCP connection: shows fresh connections and the source address really used. */
  localAddress?: string;
  localPort?: number;
  /** true: this request opened its own TCP connection; false: it reused one; absent: none was made. */
  newConnection?: boolean;
  durationMs: number;
}

export interface StickyClientSpec {
  /** 1-based client number, for the report. */
  id: number;
  /** Local address to bind (--source-ips); the OS picks when absent. */
  sourceAddress?: string;
}

/** One simulated client: its own cookie jar, connections and source address. */
export interface StickyClient {
  /** One request as this client. Never throws for network or HTTP faults (aborts reject). */
  sample(signal?: AbortSignal): Promise<Sample>;
  /** Release this client's sockets. */
  close(): Promise<void>;
}

export interface StickySamplerDescription {
  /** The exact URL requested. */
  url: string;
  transport: 'http' | 'websocket';
  cookies: boolean;
  freshConnections: boolean;
  instanceFrom: { kind: 'json-field'; path: string } | { kind: 'header'; name: string };
  timeoutMs: number;
}

/** The StickySampler port (src/sticky-sampler/ implements it over node:http). */
export interface StickySampler {
  describe(): StickySamplerDescription;
  openClient(spec: StickyClientSpec): StickyClient;
}
