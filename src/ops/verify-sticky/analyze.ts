import type { StickySamplerDescription } from '../ports/index.js';
import { cookieAttributeWarnings, findAffinity } from './affinity.js';
import { bucketFaults } from './faults.js';
import type { AffinityFinding, ClientRun, ClientSummary, FaultBucket, FleetSpread, Move, StickyReport, StickyVerdict } from './report.js';
import { measureSpread } from './spread.js';

export interface AnalysisInput {
  target: StickySamplerDescription;
  requestsPerClient: number;
  runs: readonly ClientRun[];
  tolerance: number;
  expectedInstances?: number;
  interrupted: boolean;
  durationMs: number;
  /** Put cookie values in the report (only behind an explicit flag: a session cookie is a credential). */
  revealCookieValues?: boolean;
}

/** Fewer answers than this and a client cannot show whether it stays put. */
const ANSWERS_TO_JUDGE = 2;

export function summarizeClient(run: ClientRun): ClientSummary {
  const counts = new Map<string, number>();
  let connections = 0;
  const localAddresses = new Set<string>();
  const cookiesSent = new Set<string>();
  let previous: string | undefined;
  let moves = 0;
  let firstMove: Move | null = null;
  let answered = 0;
  run.samples.forEach((sample, index) => {
    if (sample.localAddress) localAddresses.add(sample.localAddress);
    if (sample.newConnection) connections++;
    for (const name of sample.sentCookies) cookiesSent.add(name);
    if (sample.outcome !== 'answered' || sample.instance === undefined) return;
    answered++;
    counts.set(sample.instance, (counts.get(sample.instance) ?? 0) + 1);
    if (previous !== undefined && previous !== sample.instance) {
      moves++;
      firstMove ??= { client: run.id, request: index + 1, from: previous, to: sample.instance };
    }
    previous = sample.instance;
  });
  const instances = [...counts].map(([name, count]) => ({ name, count }));
  return {
    id: run.id,
    sourceAddress: run.sourceAddress ?? null,
    localAddresses: [...localAddresses],
    requests: run.samples.length,
    answered,
    instances,
    pinnedTo: moves === 0 && instances.length === 1 ? instances[0]!.name : null,
    moves,
    firstMove,
    faults: run.samples.length - answered,
    connections,
    cookiesSent: [...cookiesSent],
  };
}

/** The earliest move of the run: lowest request number, then lowest client. */
function earliestMove(clients: readonly ClientSummary[]): Move | null {
  let first: Move | null = null;
  for (const { firstMove } of clients) {
    if (firstMove && (!first || firstMove.request < first.request || (firstMove.request === first.request && firstMove.client < first.client))) {
      first = firstMove;
    }
  }
  return first;
}

function faultText(faults: readonly FaultBucket[], client?: number): string {
  return faults
    .filter((f) => client === undefined || f.clients.includes(client))
    .map((f) => `${f.label}${f.reportedBy.length ? ` from ${f.reportedBy.map((r) => r.name).join(', ')}` : ''}`)
    .join(', ');
}

interface Decision {
  verdict: StickyVerdict;
  reason: string;
}

function decide(clients: readonly ClientSummary[], firstMove: Move | null, spread: FleetSpread, faults: readonly FaultBucket[], requests: number): Decision {
  if (firstMove) {
    const movers = clients.filter((c) => c.moves > 0).length;
    const others = movers > 1 ? ` (${movers} of ${clients.length} clients moved)` : '';
    return {
      verdict: 'NOT STICKY',
      reason: `client ${firstMove.client} moved from ${firstMove.from} to ${firstMove.to} at request ${firstMove.request} of ${requests}${others}`,
    };
  }
  const unjudged = clients.filter((c) => c.answered < ANSWERS_TO_JUDGE);
  if (unjudged.length > 0) {
    const answers = clients.reduce((sum, c) => sum + c.answered, 0);
    if (answers === 0) return { verdict: 'INCONCLUSIVE', reason: `no request named an instance (${faultText(faults)})` };
    const example = unjudged[0]!;
    const why = faultText(faults, example.id);
    return {
      verdict: 'INCONCLUSIVE',
      reason:
        `${unjudged.length} of ${clients.length} clients got fewer than ${ANSWERS_TO_JUDGE} answers, so their stickiness is unknown ` +
        `(client ${example.id}: ${example.answered} answers${why ? `; ${why}` : ''})`,
    };
  }
  if (spread.uneven) {
    const busiest = [...spread.instances].sort((a, b) => b.clients - a.clients)[0]!;
    return {
      verdict: 'UNEVEN',
      reason: `every client stayed on one instance, but ${busiest.name} holds ${busiest.clients} of ${clients.length} clients: skew ${spread.skew!.toFixed(2)} is above ${(1 + spread.tolerance).toFixed(2)}`,
    };
  }
  const homes = spread.instances.filter((i) => i.clients > 0).length;
  return {
    verdict: 'STICKY',
    reason:
      clients.length === 1
        ? `the client stayed on ${clients[0]!.pinnedTo} for all ${clients[0]!.answered} answers`
        : `each of ${clients.length} clients stayed on one instance; they are spread over ${homes} instance${homes === 1 ? '' : 's'}`,
  };
}

function sameSlash24(addresses: readonly string[]): string | undefined {
  const prefixes = new Set<string>();
  for (const address of addresses) {
    const octets = address.split('.');
    if (octets.length !== 4) return undefined;
    prefixes.add(octets.slice(0, 3).join('.'));
  }
  return prefixes.size === 1 ? `${[...prefixes][0]}.0/24` : undefined;
}

function warningsFor(input: AnalysisInput, clients: readonly ClientSummary[], affinity: AffinityFinding, spread: FleetSpread, faults: readonly FaultBucket[], verdict: StickyVerdict): string[] {
  const { target } = input;
  const warnings: string[] = [];
  const total = clients.reduce((sum, c) => sum + c.requests, 0);
  const faulty = faults.reduce((sum, f) => sum + f.count, 0);
  if (input.interrupted) warnings.push(`interrupted after ${total} of ${input.requestsPerClient * input.runs.length} requests: the report covers what was sampled`);
  if (faulty > 0 && verdict !== 'INCONCLUSIVE') warnings.push(`${faulty} of ${total} requests named no instance (see faults); the verdict rests on the other ${total - faulty}`);
  if (clients.length === 1 && verdict === 'STICKY') {
    warnings.push('one client shows that it is pinned, not that clients are spread: use --clients K (with --source-ips for IP-based affinity)');
  }
  const ipBased = affinity.kind === 'none' || !target.cookies;
  const addresses = clients.flatMap((c) => c.localAddresses);
  const subnet = clients.length > 1 ? sameSlash24(addresses) : undefined;
  if (ipBased && subnet) {
    warnings.push(
      `every client came from ${subnet}: nginx ip_hash hashes only the first three octets of an IPv4 address, so an IP-hash balancer sees one client; ` +
        'use --source-ips with addresses that differ in the third octet, e.g. 127.0.1-20.1',
    );
  }
  const requested = new Set(input.runs.map((r) => r.sourceAddress).filter(Boolean));
  if (requested.size > 0 && requested.size < clients.length) {
    warnings.push(`${clients.length} clients share ${requested.size} source addresses: an IP-based balancer cannot tell them apart`);
  }
  if (!target.freshConnections) {
    warnings.push('connections were reused (--reuse-connections): a balancer that picks per connection chose only once per client');
  }
  if (affinity.kind === 'cookie' && !target.cookies) {
    warnings.push(`the balancer sets ${affinity.name} but --no-cookies never sent it back: this is what cookie-less clients see`);
  }
  warnings.push(...cookieAttributeWarnings(affinity, target.url));
  const homes = spread.instances.filter((i) => i.clients > 0).length;
  if (clients.length > 1 && homes === 1 && spread.expectedInstances === null && verdict === 'STICKY') {
    warnings.push(`all ${clients.length} clients live on ${spread.instances.find((i) => i.clients > 0)!.name}: with one instance seen the spread cannot be judged (--expect-instances N says how many there are)`);
  }
  return warnings;
}

/** Pure: the evidence (every sample of every client) → the report and its verdict. */
export function analyze(input: AnalysisInput): StickyReport {
  const clients = input.runs.map(summarizeClient);
  const faults = bucketFaults(input.runs);
  const affinity = findAffinity(input.runs, { revealValues: input.revealCookieValues === true });
  const spread = measureSpread(clients, input.tolerance, input.expectedInstances);
  const firstMove = earliestMove(clients);
  const { verdict, reason } = decide(clients, firstMove, spread, faults, input.requestsPerClient);
  const requests = clients.reduce((sum, c) => sum + c.requests, 0);
  const answered = clients.reduce((sum, c) => sum + c.answered, 0);
  return {
    kind: 'StickinessReport',
    verdict,
    reason,
    target: input.target,
    requestsPerClient: input.requestsPerClient,
    clients,
    fleet: spread,
    affinity,
    faults,
    firstMove,
    warnings: warningsFor(input, clients, affinity, spread, faults, verdict),
    totals: {
      clients: clients.length,
      requests,
      answered,
      faults: requests - answered,
      connections: clients.reduce((sum, c) => sum + c.connections, 0),
    },
    interrupted: input.interrupted,
    durationMs: input.durationMs,
  };
}
