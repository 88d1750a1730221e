import type { Sample, StickySamplerDescription } from '../ports/index.js';

export type StickyVerdict = 'STICKY' | 'NOT STICKY' | 'UNEVEN' | 'INCONCLUSIVE';

/** What one simulated client did: the raw material of the analysis. */
export interface ClientRun {
  id: number;
  /** The source address asked for (--source-ips); the OS picked when absent. */
  sourceAddress?: string;
  samples: Sample[];
}

/** The moment a client was answered by another instance than the one before. */
export interface Move {
  client: number;
  /** 1-based request number of the answer that came from elsewhere. */
  request: number;
  from: string;
  to: string;
}

export interface InstanceCount {
  name: string;
  count: number;
}

export interface ClientSummary {
  id: number;
  sourceAddress: string | null;
  /** Source addresses the connections really used. */
  localAddresses: string[];
  requests: number;
  answered: number;
  /** Answers per instance, in order of first answer. */
  instances: InstanceCount[];
  /** The only instance that answered, when the client never moved. */
  pinnedTo: string | null;
  moves: number;
  firstMove: Move | null;
  faults: number;
  /** TCP connections this client opened (one per request unless --reuse-connections). */
  connections: number;
  /** Names of the cookies this client sent back at least once. */
  cookiesSent: string[];
}

export interface FleetInstance {
  name: string;
  /** Clients whose answers came mostly from this instance. */
  clients: number;
  answers: number;
}

export interface FleetSpread {
  instances: FleetInstance[];
  /** --expect-instances: instances that never answered count as 0 clients. */
  expectedInstances: number | null;
  /** max/mean clients per instance; null with fewer than two clients or no answers. */
  skew: number | null;
  /** Allowed excess over the mean (0.2 = 20%). */
  tolerance: number;
  uneven: boolean;
}

export interface CookieValueSeen {
  /**
   * A short hash of the value: equal values have equal fingerprints, so "same value → same
   * instance" still shows, while the value itself (a session cookie is a credential) does not
   * (RELIABILITY rule 10).
   */
  fingerprint: string;
  /** The value itself, only when the operator asked for it (--show-cookie-values). */
  value?: string;
  /** The instance that answered when the cookie was set. */
  instance: string | null;
}

export type AffinityFinding =
  | {
      kind: 'cookie';
      name: string;
      /** Which balancer or product uses this name; null when we do not know the name. */
      knownAs: string | null;
      attributes: Record<string, string | true>;
      values: CookieValueSeen[];
      /** Whether clients sent it back (false with --no-cookies, or when a browser would not). */
      returned: boolean;
      /** Every cookie name any answer set. */
      cookiesSeen: string[];
    }
  | { kind: 'none'; note: string; cookiesSeen: string[] };

export type FaultKind = 'unreachable' | 'timeout' | 'http-error' | 'redirect' | 'missing-instance';

/** Requests that did not name an instance, grouped by what went wrong. Never counted as answers. */
export interface FaultBucket {
  kind: FaultKind;
  /** e.g. "HTTP 503 draining", "unreachable: ECONNREFUSED", "redirect 302 → /login". */
  label: string;
  httpStatus: number | null;
  count: number;
  clients: number[];
  /** The instances the faulty answers named about themselves (a draining gateway still says who it is). */
  reportedBy: InstanceCount[];
  detail: string | null;
}

export interface StickyReport {
  kind: 'StickinessReport';
  verdict: StickyVerdict;
  /** One sentence: why this verdict. */
  reason: string;
  target: StickySamplerDescription;
  requestsPerClient: number;
  clients: ClientSummary[];
  fleet: FleetSpread;
  affinity: AffinityFinding;
  faults: FaultBucket[];
  firstMove: Move | null;
  warnings: string[];
  totals: { clients: number; requests: number; answered: number; faults: number; connections: number };
  interrupted: boolean;
  durationMs: number;
}
