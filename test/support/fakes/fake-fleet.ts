// An in-memory Fleet for ops/ tests: a list of instances that the test can restart, re-create
// (new uid, same name, as a StatefulSet does), remove or break, while an op is running.
//
//   const fleet = new FakeFleet(fakeInstances(3));          // conduit-0..2
//   fleet.restart('conduit-1');                             // restarts + 1
//   fleet.recreate('conduit-2');                            // new uid
//   fleet.remove('conduit-0');                              // get() → undefined

import { UsageError } from '../../../src/ops/errors.js';
import type { Fleet, FleetDescription, Instance, Target } from '../../../src/ops/ports/index.js';

/** n StatefulSet-like instances `${prefix}-0…`, each on its own loopback address. */
export function fakeInstances(n: number, prefix = 'conduit'): Instance[] {
  return Array.from({ length: n }, (_, ordinal) => ({
    name: `${prefix}-${ordinal}`,
    uid: `uid-${prefix}-${ordinal}-1`,
    address: `127.0.10.${ordinal + 1}`,
    ready: true,
    phase: 'Running',
    restarts: 0,
    ordinal,
    createdAtMs: Date.UTC(2026, 0, 1),
  }));
}

export interface FakeFleetOptions {
  description?: FleetDescription;
  /** Label selectors this fleet understands, mapped to the instance names they select. */
  selectors?: Record<string, string[]>;
}

export class FakeFleet implements Fleet {
  /** Every call: `resolve` or `get:<name>`. */
  readonly calls: string[] = [];
  private instances: Instance[];
  private readonly getErrors = new Map<string, Error>();

  constructor(
    instances: Instance[],
    private readonly options: FakeFleetOptions = {},
  ) {
    this.instances = instances.map((i) => ({ ...i }));
  }

  describe(): FleetDescription {
    return this.options.description ?? { kind: 'static', source: 'fake fleet' };
  }

  async resolve(target: Target, signal?: AbortSignal): Promise<Instance[]> {
    signal?.throwIfAborted();
    this.calls.push('resolve');
    switch (target.kind) {
      case 'all':
        return this.list();
      case 'names':
        return target.names.map((name) => {
          const found = this.find(name);
          if (!found) throw new UsageError(`instance "${name}" not found`);
          return { ...found };
        });
      case 'selector': {
        const names = this.options.selectors?.[target.selector];
        if (!names) throw new UsageError(`no instances match selector "${target.selector}"`);
        return this.list().filter((i) => names.includes(i.name));
      }
      case 'workload': {
        const members = this.list().filter((i) => i.name.startsWith(`${target.name}-`));
        if (members.length === 0) throw new UsageError(`${target.workloadKind} "${target.name}" not found`);
        return members;
      }
    }
  }

  async get(name: string, signal?: AbortSignal): Promise<Instance | undefined> {
    signal?.throwIfAborted();
    this.calls.push(`get:${name}`);
    const error = this.getErrors.get(name);
    if (error) throw error;
    const found = this.find(name);
    return found && { ...found };
  }

  /** The container restarted in place: restarts + 1, same uid. */
  restart(name: string): Instance {
    return this.update(name, (i) => ({ ...i, restarts: (i.restarts ?? 0) + 1 }));
  }

  /** The pod was deleted and re-created under the same name: a new uid, restarts back to 0. */
  recreate(name: string): Instance {
    return this.update(name, (i) => ({ ...i, uid: `${i.uid ?? `uid-${name}`}+`, restarts: 0 }));
  }

  remove(name: string): void {
    this.instances = this.instances.filter((i) => i.name !== name);
  }

  add(instance: Instance): void {
    this.remove(instance.name);
    this.instances.push({ ...instance });
  }

  /** Make get(name) throw (e.g. the API server is unreachable); undefined clears it. */
  failGet(name: string, error: Error | undefined): void {
    if (error) this.getErrors.set(name, error);
    else this.getErrors.delete(name);
  }

  private list(): Instance[] {
    return [...this.instances].sort(byOrdinalThenName).map((i) => ({ ...i }));
  }

  private find(name: string): Instance | undefined {
    return this.instances.find((i) => i.name === name);
  }

  private update(name: string, change: (i: Instance) => Instance): Instance {
    const index = this.instances.findIndex((i) => i.name === name);
    if (index < 0) throw new Error(`FakeFleet: no instance ${name}`);
    const updated = change(this.instances[index]!);
    this.instances[index] = updated;
    return { ...updated };
  }
}

function byOrdinalThenName(a: Instance, b: Instance): number {
  if (a.ordinal !== undefined && b.ordinal !== undefined && a.ordinal !== b.ordinal) return a.ordinal - b.ordinal;
  return a.name.localeCompare(b.name);
}
