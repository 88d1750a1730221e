// The last look before anything is removed (RELIABILITY rules 1 and 5, K13): every drained
// instance is read again DIRECTLY — it must still be the one that was drained (same uid) and its
// count a known 0. Used before a scale's write and before `drain --then evict|delete`.

import type { Count, Fleet, GatewayAdmin, Instance } from '../ports/index.js';

export type ZeroProblem =
  | { kind: 'not-zero'; instance: string; count: Count }
  /** Same name, new uid (or it came back): this is a new pod that was never drained. */
  | { kind: 'replaced'; instance: string; change: string }
  | { kind: 'unreadable'; instance: string; reason: string };

export interface ConfirmZeroOptions {
  fleet: Fleet;
  gateway: GatewayAdmin;
  /** The instances as they were drained: their uid is the baseline; a terminating one is left to its shutdown. */
  drained: readonly Instance[];
  signal: AbortSignal;
  /** The count read for one instance (a known 0 or not). */
  onCount?(instance: string, count: Count): void;
}

export async function confirmAtZero(o: ConfirmZeroOptions): Promise<ZeroProblem[]> {
  const problems = await Promise.all(o.drained.map((instance) => confirmOne(instance, o)));
  return problems.filter((p): p is ZeroProblem => p !== undefined);
}

async function confirmOne(drained: Instance, o: ConfirmZeroOptions): Promise<ZeroProblem | undefined> {
  let current: Instance | undefined;
  try {
    current = await o.fleet.get(drained.name, o.signal);
  } catch (error) {
    o.signal.throwIfAborted();
    return { kind: 'unreadable', instance: drained.name, reason: error instanceof Error ? error.message : String(error) };
  }
  if (!current) return undefined; // gone: nothing left on it to lose
  if (drained.uid !== undefined && current.uid !== undefined && current.uid !== drained.uid) {
    return { kind: 'replaced', instance: drained.name, change: `uid ${drained.uid} → ${current.uid}` };
  }
  if (drained.deletionTimestamp) return undefined; // already being removed by someone else; its grace period is running
  const count = await o.gateway.connections(current, o.signal);
  o.onCount?.(drained.name, count);
  return count.known && count.value === 0 ? undefined : { kind: 'not-zero', instance: drained.name, count };
}

export function describeProblem(p: ZeroProblem): string {
  switch (p.kind) {
    case 'not-zero':
      return p.count.known
        ? `${p.instance} held ${p.count.value} connection${p.count.value === 1 ? '' : 's'} at the final check`
        : `${p.instance}'s count was unknown at the final check (${p.count.reason})`;
    case 'replaced':
      return `${p.instance} was re-created (${p.change}): the new pod was never drained`;
    case 'unreadable':
      return `${p.instance} could not be re-read (${p.reason})`;
  }
}
