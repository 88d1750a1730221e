// An in-memory Workloads port for ops/ tests: one StatefulSet, its scale subresource (with a
// resourceVersion that every write bumps), HPAs, PDBs, an access review, evictions, deletes with a
// uid precondition, EndpointSlice readiness and Leases. Pods live in a FakeFleet, so what the
// fleet sees and what the StatefulSet controller does stay one state.
//
//   const fleet = new FakeFleet(fakeInstances(3));
//   const kube = new FakeWorkloads({ fleet, clock });               // conduit, 3 replicas
//   kube.beforeWrite = () => kube.scaleBy('colleague', 4);          // a `kubectl scale` races us
//   kube.evictions.set('conduit-2', [{ kind: 'blocked-by-pdb', … }, { kind: 'evicted' }]);
//
// Every call is logged with whether it mutates, so "dry run makes no mutating call" is one line.

import type { FakeClock } from './fake-clock.js';
import type { FakeFleet } from './fake-fleet.js';
import type {
  AccessCheck,
  EndpointReadiness,
  EvictionResult,
  HpaInfo,
  Instance,
  LeaseAttempt,
  PdbInfo,
  ScaleInfo,
  ScaleWriteResult,
  StatefulSetInfo,
  Workloads,
} from '../../../src/ops/ports/index.js';

export interface WorkloadCall {
  op: string;
  detail?: string;
  mutating: boolean;
  at: number;
}

export type EvictionStep = EvictionResult | Error;
export type ControllerMode =
  /** On a write, pods at or above the new size vanish at once and new ones come up Ready. */
  | 'immediate'
  /** The write changes spec only; the test moves pods itself. */
  | 'manual';

export interface FakeWorkloadsOptions {
  fleet: FakeFleet;
  clock: FakeClock;
  statefulSet?: Partial<StatefulSetInfo>;
  controller?: ControllerMode;
}

interface LeaseState {
  holder: string;
  acquiredAtMs: number;
  renewedAtMs: number;
  durationSeconds: number;
}

export class FakeWorkloads implements Workloads {
  readonly calls: WorkloadCall[] = [];
  statefulSet: StatefulSetInfo;
  private scaleVersion = 100;
  controller: ControllerMode;
  hpas: HpaInfo[] = [];
  pdbs: PdbInfo[] = [];
  /** Access checks that the review denies. */
  deny: (check: AccessCheck) => boolean = () => false;
  /** Called before each setReplicas is applied (after it is logged): simulate a race. */
  beforeWrite?: (attempt: number) => void;
  /** Force 409 on the next n writes although the resourceVersion matches (a stale cache). */
  spuriousConflicts = 0;
  /** Eviction script per pod; last step repeats. Default: evicted. */
  readonly evictions = new Map<string, EvictionStep[]>();
  /** EndpointSlice readiness script per pod; last step repeats. Default: follows pod.ready. */
  readonly endpoints = new Map<string, EndpointReadiness[]>();
  /** What happens to a pod that is evicted or deleted: it vanishes, or the StatefulSet re-creates it (new uid). */
  onPodRemoved: 'vanish' | 'recreate' = 'vanish';
  readonly leases = new Map<string, LeaseState>();
  /** Make getScale/getStatefulSet/podsOf throw (the API server is unreachable). */
  readFailure?: Error;
  private cursors = new Map<string, number>();
  private writes = 0;

  constructor(private readonly options: FakeWorkloadsOptions) {
    const replicas = options.statefulSet?.replicas ?? 3;
    this.controller = options.controller ?? 'immediate';
    this.statefulSet = {
      name: 'conduit',
      namespace: 'default',
      uid: 'sts-uid-1',
      resourceVersion: '1',
      generation: 1,
      observedGeneration: 1,
      replicas,
      readyReplicas: replicas,
      currentReplicas: replicas,
      updatedReplicas: replicas,
      podManagementPolicy: 'OrderedReady',
      terminationGracePeriodSeconds: 60,
      selector: 'app=conduit',
      serviceName: 'conduit',
      annotations: {},
      ...options.statefulSet,
    };
  }

  get mutatingCalls(): WorkloadCall[] {
    return this.calls.filter((c) => c.mutating);
  }

  callsOf(op: string): WorkloadCall[] {
    return this.calls.filter((c) => c.op === op);
  }

  /** Someone else scales the StatefulSet (kubectl scale, an HPA): spec changes, resourceVersion moves. */
  scaleBy(_who: string, replicas: number): void {
    this.statefulSet = { ...this.statefulSet, replicas };
    this.scaleVersion++;
  }

  /** Any other change to the StatefulSet object (a label, a status update): only the resourceVersion moves. */
  touch(): void {
    this.scaleVersion++;
  }

  async getStatefulSet(name: string, signal?: AbortSignal): Promise<StatefulSetInfo | undefined> {
    this.log('getStatefulSet', name, false, signal);
    if (this.readFailure) throw this.readFailure;
    return name === this.statefulSet.name ? { ...this.statefulSet, resourceVersion: String(this.scaleVersion) } : undefined;
  }

  async getScale(name: string, signal?: AbortSignal): Promise<ScaleInfo> {
    this.log('getScale', name, false, signal);
    if (this.readFailure) throw this.readFailure;
    if (name !== this.statefulSet.name) throw new Error(`FakeWorkloads: no statefulset ${name}`);
    return { replicas: this.statefulSet.replicas, statusReplicas: (await this.podsNow()).length, resourceVersion: String(this.scaleVersion) };
  }

  async setReplicas(name: string, replicas: number, resourceVersion: string, signal?: AbortSignal): Promise<ScaleWriteResult> {
    this.log('setReplicas', `${name}=${replicas}@${resourceVersion}`, true, signal);
    this.writes++;
    this.beforeWrite?.(this.writes);
    if (this.spuriousConflicts > 0) {
      this.spuriousConflicts--;
      this.scaleVersion++;
      return { kind: 'conflict', message: 'the object has been modified; please apply your changes to the latest version and try again' };
    }
    if (resourceVersion !== String(this.scaleVersion)) {
      return { kind: 'conflict', message: `Operation cannot be fulfilled on statefulsets.apps "${name}": the object has been modified` };
    }
    this.scaleVersion++;
    const before = this.statefulSet.replicas;
    this.statefulSet = { ...this.statefulSet, replicas };
    if (this.controller === 'immediate') await this.reconcile(before, replicas);
    return { kind: 'written', resourceVersion: String(this.scaleVersion) };
  }

  async podsOf(statefulSet: StatefulSetInfo, signal?: AbortSignal): Promise<Instance[]> {
    this.log('podsOf', statefulSet.name, false, signal);
    if (this.readFailure) throw this.readFailure;
    return await this.podsNow();
  }

  async pdbsFor(instance: Instance, signal?: AbortSignal): Promise<PdbInfo[]> {
    this.log('pdbsFor', instance.name, false, signal);
    return this.pdbs.map((p) => ({ ...p }));
  }

  async hpasTargeting(_kind: 'StatefulSet' | 'Deployment', name: string, signal?: AbortSignal): Promise<HpaInfo[]> {
    this.log('hpasTargeting', name, false, signal);
    return this.hpas.map((h) => ({ ...h }));
  }

  async denied(checks: AccessCheck[], signal?: AbortSignal): Promise<AccessCheck[]> {
    this.log('denied', `${checks.length} checks`, false, signal);
    return checks.filter((c) => this.deny(c));
  }

  async evict(instance: Instance, signal?: AbortSignal): Promise<EvictionResult> {
    this.log('evict', instance.name, true, signal);
    const script = this.evictions.get(instance.name);
    const step = script ? this.step(`evict/${instance.name}`, script) : ({ kind: 'evicted' } as const);
    if (step instanceof Error) throw step;
    if (step.kind === 'evicted') {
      if (!(await this.current(instance.name))) return { kind: 'gone' };
      this.removePod(instance.name);
    }
    return step;
  }

  async deletePod(instance: Instance, signal?: AbortSignal): Promise<'deleted' | 'gone'> {
    this.log('deletePod', `${instance.name}@${instance.uid ?? '?'}`, true, signal);
    const current = await this.current(instance.name);
    // The uid precondition: a re-created pod of the same name is another pod, never deleted.
    if (!current || (instance.uid !== undefined && current.uid !== instance.uid)) return 'gone';
    this.removePod(instance.name);
    return 'deleted';
  }

  async endpointReadiness(serviceName: string, instance: Instance, signal?: AbortSignal): Promise<EndpointReadiness> {
    this.log('endpointReadiness', `${serviceName}/${instance.name}`, false, signal);
    const script = this.endpoints.get(instance.name);
    if (script) return this.step(`endpoints/${instance.name}`, script);
    const current = await this.current(instance.name);
    return !current ? 'absent' : current.ready ? 'ready' : 'not-ready';
  }

  async acquireLease(name: string, holder: string, durationSeconds: number, signal?: AbortSignal): Promise<LeaseAttempt> {
    this.log('acquireLease', `${name} by ${holder}`, true, signal);
    const now = this.options.clock.wallNow();
    const held = this.leases.get(name);
    if (held && held.holder !== holder && now < held.renewedAtMs + held.durationSeconds * 1000) {
      return { acquired: false, holder: { holder: held.holder, acquiredAtMs: held.acquiredAtMs, renewedAtMs: held.renewedAtMs, durationSeconds: held.durationSeconds } };
    }
    this.leases.set(name, { holder, acquiredAtMs: now, renewedAtMs: now, durationSeconds });
    return {
      acquired: true,
      lease: {
        name,
        renew: async (renewSignal) => {
          this.log('renewLease', name, true, renewSignal);
          const state = this.leases.get(name);
          if (!state || state.holder !== holder) throw new Error(`lease ${name} is no longer held by ${holder}`);
          state.renewedAtMs = this.options.clock.wallNow();
        },
        release: async () => {
          this.log('releaseLease', name, true);
          if (this.leases.get(name)?.holder === holder) this.leases.delete(name);
        },
      },
    };
  }

  /** Mark a pod terminating (deletionTimestamp = grace end), as a delete by someone else would. */
  async markTerminating(name: string, graceEndsAt = '2026-01-01T00:01:00.000Z'): Promise<void> {
    const pod = await this.current(name);
    if (!pod) throw new Error(`FakeWorkloads: no pod ${name}`);
    this.options.fleet.add({ ...pod, deletionTimestamp: graceEndsAt });
  }

  async setReady(name: string, ready: boolean): Promise<void> {
    const pod = await this.current(name);
    if (!pod) throw new Error(`FakeWorkloads: no pod ${name}`);
    this.options.fleet.add({ ...pod, ready });
  }

  /** What the StatefulSet controller does right after a write (controller: 'immediate'). */
  private async reconcile(before: number, after: number): Promise<void> {
    for (const pod of await this.podsNow()) if (pod.ordinal !== undefined && pod.ordinal >= after) this.options.fleet.remove(pod.name);
    for (let ordinal = before; ordinal < after; ordinal++) {
      const name = `${this.statefulSet.name}-${ordinal}`;
      this.options.fleet.add({ name, uid: `uid-${name}-new`, ordinal, ready: true, phase: 'Running', restarts: 0, address: `127.0.10.${ordinal + 1}` });
    }
  }

  private removePod(name: string): void {
    if (this.onPodRemoved === 'recreate') this.options.fleet.recreate(name);
    else this.options.fleet.remove(name);
  }

  // The fleet's full list (its resolve of 'all' is a plain read of the same state).
  private async podsNow(): Promise<Instance[]> {
    return (await this.options.fleet.resolve({ kind: 'all' })).filter((p) => p.name.startsWith(`${this.statefulSet.name}-`));
  }

  private async current(name: string): Promise<Instance | undefined> {
    return (await this.podsNow()).find((p) => p.name === name);
  }

  private step<S>(key: string, steps: S[]): S {
    const index = this.cursors.get(key) ?? 0;
    this.cursors.set(key, index + 1);
    return steps[Math.min(index, steps.length - 1)]!;
  }

  private log(op: string, detail: string, mutating: boolean, signal?: AbortSignal): void {
    signal?.throwIfAborted();
    this.calls.push({ op, detail, mutating, at: this.options.clock.now() });
  }
}
