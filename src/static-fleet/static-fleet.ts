// The Fleet port for gateways that are not on Kubernetes: a fixed list of instances.

import type { Fleet, FleetDescription, Instance, Target } from '../ops/ports/index.js';
import { UsageError } from '../ops/errors.js';

const byName = new Intl.Collator('en', { numeric: true }).compare;
const MAX_LISTED_NAMES = 20;

export class StaticFleet implements Fleet {
  private readonly instances: ReadonlyMap<string, Instance>;

  /** `instances` must already be validated (unique names, checked URLs). */
  constructor(
    instances: readonly Instance[],
    private readonly source: string,
  ) {
    const sorted = [...instances].sort((a, b) => byName(a.name, b.name));
    this.instances = new Map(sorted.map((instance) => [instance.name, instance]));
  }

  describe(): FleetDescription {
    return { kind: 'static', source: this.source };
  }

  async resolve(target: Target): Promise<Instance[]> {
    switch (target.kind) {
      case 'all':
        return [...this.instances.values()].map(copy);
      case 'names':
        return this.byNames(target.names);
      case 'selector':
        throw new UsageError(
          `a label selector (${target.selector}) needs a Kubernetes fleet; ${this.source} is a static fleet`,
          'name instances from the fleet instead',
        );
      case 'workload':
        throw new UsageError(
          `${target.workloadKind}/${target.name} needs a Kubernetes fleet; ${this.source} is a static fleet`,
          'name instances from the fleet instead',
        );
    }
  }

  async get(name: string): Promise<Instance | undefined> {
    const instance = this.instances.get(name);
    return instance && copy(instance);
  }

  private byNames(names: string[]): Instance[] {
    const missing = names.filter((name) => !this.instances.has(name));
    if (missing.length > 0) {
      const known = [...this.instances.keys()];
      const listed = known.slice(0, MAX_LISTED_NAMES).join(', ') + (known.length > MAX_LISTED_NAMES ? ', …' : '');
      throw new UsageError(`no instance named ${missing.join(', ')} in ${this.source}`, `known instances: ${listed}`);
    }
    return [...new Set(names)].sort(byName).map((name) => copy(this.instances.get(name)!));
  }
}

function copy(instance: Instance): Instance {
  return { ...instance };
}
