import type { SetCookie } from '../ports/index.js';
import type { AffinityFinding, ClientRun, CookieValueSeen } from './report.js';

/** Cookie names that balancers and ingress controllers use for affinity, and who uses them. */
export const KNOWN_AFFINITY_COOKIES: Readonly<Record<string, string>> = {
  SERVERID: 'HAProxy (cookie SERVERID insert)',
  route: 'nginx sticky route / ingress-nginx (session-cookie-name: route)',
  INGRESSCOOKIE: 'ingress-nginx (affinity: cookie, default name)',
  AWSALB: 'AWS ALB duration-based stickiness (lb_cookie)',
  AWSALBCORS: 'AWS ALB duration-based stickiness (CORS copy)',
  AWSALBAPP: 'AWS ALB application-based stickiness',
  AWSALBTG: 'AWS ALB target-group stickiness',
  AWSALBTGCORS: 'AWS ALB target-group stickiness (CORS copy)',
  AWSELB: 'AWS Classic ELB stickiness',
  GCLB: 'Google Cloud load balancer (generated cookie)',
  ARRAffinity: 'Azure App Service ARR affinity',
  ARRAffinitySameSite: 'Azure App Service ARR affinity (SameSite copy)',
  JSESSIONID: 'Java servlet session (HAProxy appsession / ALB app cookie)',
};

export const NO_COOKIE_NOTE =
  'no affinity cookie was set: stickiness, if any, is IP-based (nginx ip_hash, HAProxy balance source, Service sessionAffinity: ClientIP) or absent';

interface Seen {
  cookie: SetCookie;
  values: Map<string, string | null>;
  returned: boolean;
}

/**
 * The affinity mechanism the answers reveal: the first cookie with a known balancer name, else
 * the first cookie set at all (it may be the application's own), else none (IP-based or none).
 */
/**
 * `#3f9a1c2b7d4e`: 48 bits of a 64-bit FNV-1a hash of the value — enough to tell the values of one
 * report apart, far too little to stand in for (or recover) the value. Pure, so ops/ stays free
 * of I/O modules.
 */
export function cookieFingerprint(value: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(value)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `#${hash.toString(16).padStart(16, '0').slice(0, 12)}`;
}

export function findAffinity(runs: readonly ClientRun[], { revealValues = false } = {}): AffinityFinding {
  const seen = new Map<string, Seen>();
  for (const run of runs) {
    for (const sample of run.samples) {
      for (const cookie of sample.setCookies) {
        const entry = seen.get(cookie.name) ?? { cookie, values: new Map<string, string | null>(), returned: false };
        seen.set(cookie.name, entry);
        if (!entry.values.has(cookie.value) || entry.values.get(cookie.value) === null) {
          entry.values.set(cookie.value, sample.instance ?? sample.reportedInstance ?? null);
        }
      }
      for (const name of sample.sentCookies) {
        const entry = seen.get(name);
        if (entry) entry.returned = true;
      }
    }
  }
  const cookiesSeen = [...seen.keys()];
  const chosen = cookiesSeen.find((name) => name in KNOWN_AFFINITY_COOKIES) ?? cookiesSeen[0];
  if (chosen === undefined) return { kind: 'none', note: NO_COOKIE_NOTE, cookiesSeen };
  const entry = seen.get(chosen)!;
  const values: CookieValueSeen[] = [...entry.values].map(([value, instance]) => ({
    fingerprint: cookieFingerprint(value),
    ...(revealValues ? { value } : {}),
    instance,
  }));
  return {
    kind: 'cookie',
    name: chosen,
    knownAs: KNOWN_AFFINITY_COOKIES[chosen] ?? null,
    attributes: entry.cookie.attributes,
    values,
    returned: entry.returned,
    cookiesSeen,
  };
}

/** What a browser would make of the cookie's attributes, as warnings (empty when all is well). */
export function cookieAttributeWarnings(finding: AffinityFinding, url: string): string[] {
  if (finding.kind !== 'cookie') return [];
  const { name, attributes } = finding;
  const warnings: string[] = [];
  const secure = attributes.secure !== undefined;
  const plain = url.startsWith('http:') || url.startsWith('ws:');
  if (secure && plain) {
    warnings.push(`cookie ${name} is Secure but ${url} is not TLS: browsers never send it back here, so their clients will not stick`);
  }
  if (typeof attributes.samesite === 'string' && attributes.samesite.toLowerCase() === 'none' && !secure) {
    warnings.push(`cookie ${name} has SameSite=None without Secure: browsers reject it`);
  }
  const maxAge = attributes['max-age'];
  if (typeof maxAge === 'string' && /^\d+$/.test(maxAge) && Number(maxAge) > 0 && Number(maxAge) < 300) {
    warnings.push(`cookie ${name} expires after ${maxAge}s: a client idle for longer loses its instance`);
  }
  return warnings;
}
