// An in-memory GatewayAdmin for ops/ tests. Each instance (by name) is a small simulated gateway:
// a draining flag and a connection count, plus optional scripts that override what the reads
// return. Every call is logged and in-flight calls are counted, so tests can assert "no POST",
// "undrained once" or "never more than N requests at once".
//
//   const gateway = new FakeGateway({ clock });
//   gateway.set('conduit-0', { connections: 5, counts: [5, 2, 0] });   // then 0 forever
//   gateway.set('conduit-1', { health: ['ok', 'ok', 'draining'] });      // confirms on the 3rd read
//   gateway.set('conduit-2', { ignoreDrain: true });                      // 202, but never drains
//
// Scripts: `counts` and `health` are consumed one step per call and their LAST step repeats.
// Without a `health` script, health follows the simulated state (draining → 503 draining).
// Without a `counts` script, the count is `connections` (settable, reduced by migrate).
// Abort: a call whose signal is (or becomes) aborted rejects with the signal's reason.

import type { FakeClock } from './fake-clock.js';
import type { GatewayFailure } from '../../../src/ops/errors.js';
import { GatewayError } from '../../../src/ops/errors.js';
import type {
  Count,
  DrainAck,
  GatewayAdmin,
  Health,
  HealthStatus,
  Instance,
  MigrateRequest,
  MigrateResult,
  RemainingTime,
} from '../../../src/ops/ports/index.js';

export type CountStep = number | 'unknown' | Count;
export type HealthStep = HealthStatus | Health;
export type GatewayOp = 'health' | 'connections' | 'drain' | 'undrain' | 'migrate';

export interface FakeGatewayInstance {
  /** Simulated state: is the gateway draining (default false). */
  draining: boolean;
  /** Simulated state: active connections (default 0). */
  connections: number;
  /** Read script for connections(); the last step repeats. */
  counts?: CountStep[];
  /** Read script for health(); the last step repeats. Absent: health follows `draining`. */
  health?: HealthStep[];
  /** POST /admin/drain answers 202 but the gateway never starts draining. */
  ignoreDrain?: boolean;
  /** Thrown by every drain() call (e.g. gatewayError('unauthorized')). */
  drainError?: Error;
  /** Thrown by every undrain() call. */
  undrainError?: Error;
  /** Thrown by every migrate() call. */
  migrateError?: Error;
  /** The boot id counts carry (absent: the gateway offers none). restartProcess() gives a new one. */
  bootId?: string;
  /**
   * The next N migrate() calls act (clients are told to go) but their answer is lost on the way
   * back: the call throws a connection reset, as a dying POST would.
   */
  loseMigrateAnswers?: number;
}

export interface GatewayCall {
  op: GatewayOp;
  instance: string;
  /** Fake-clock time at which the call started. */
  at: number;
  migrate?: MigrateRequest;
}

export interface FakeGatewayOptions {
  /** Needed for latencyMs; also stamps the request log. */
  clock?: FakeClock;
  /** Every call takes this long on the fake clock (default 0: answers on the next microtask). */
  latencyMs?: number;
  /** State for instances never configured with set() (default: ok, 0 connections). */
  defaults?: Partial<FakeGatewayInstance>;
  /**
   * Where migrated clients reconnect: target URL → instance name. Each migrated client adds one
   * connection to the instance its target names, at once or after landingDelayMs.
   * Absent, or a URL not in the map: the clients vanish from the fake (they went elsewhere).
   */
  landing?: ReadonlyMap<string, string>;
  /** Moved clients reach their receiver this long after the batch, on `clock` (default 0: at once). */
  landingDelayMs?: number;
}

/** A GatewayError as the real adapter would throw it. */
export function gatewayError(failure: GatewayFailure, endpoint = 'http://127.0.0.1:9087/admin/drain', httpStatus?: number) {
  const status = httpStatus ?? (failure === 'unauthorized' ? 401 : undefined);
  return new GatewayError(failure, endpoint, `${failure}${status ? ` (HTTP ${status})` : ''} from ${endpoint}`, status);
}

export function unknownCount(reason = 'timed out', failure?: GatewayFailure): Count {
  return failure ? { known: false, reason, failure } : { known: false, reason };
}

export class FakeGateway implements GatewayAdmin {
  readonly calls: GatewayCall[] = [];
  /** Deadlines ops bounded this client with (`within`); the fake answers at once, so it only records them. */
  readonly deadlines: RemainingTime[] = [];
  inFlight = 0;
  maxInFlight = 0;
  closed = false;
  private readonly instances = new Map<string, FakeGatewayInstance>();
  private readonly cursors = new Map<string, number>();
  /** Batch ids executed per instance, with the answer given, like the reference gateway's memory. */
  private readonly batches = new Map<string, MigrateResult>();
  /** Clients told to migrate, per source instance: how many times each batch id moved someone. */
  readonly executedBatches: Array<{ instance: string; batchId?: string; migrated: number }> = [];

  constructor(private readonly options: FakeGatewayOptions = {}) {}

  /** Configure (or reconfigure, merging) one instance. Resets its script cursors. */
  set(name: string, config: Partial<FakeGatewayInstance>): FakeGatewayInstance {
    const state = { ...this.state(name), ...config };
    this.instances.set(name, state);
    this.cursors.delete(`${name}/counts`);
    this.cursors.delete(`${name}/health`);
    return state;
  }

  within(deadline: RemainingTime): GatewayAdmin {
    this.deadlines.push(deadline);
    return this;
  }

  /**
   * Simulate the gateway process restarting: a fresh process is not draining, has `connections`
   * (default 0) and no scripts. Pair with FakeFleet.restart() so the restart is visible there too.
   */
  restartProcess(name: string, connections = 0): void {
    const before = this.instances.get(name)?.bootId;
    const bootId = before === undefined ? {} : { bootId: `${before}+restarted` };
    this.instances.set(name, { ...this.options.defaults, draining: false, connections, ...bootId });
    this.cursors.delete(`${name}/counts`);
    this.cursors.delete(`${name}/health`);
  }

  /** The simulated state of one instance (created from the defaults on first use). */
  state(name: string): FakeGatewayInstance {
    let state = this.instances.get(name);
    if (!state) {
      state = { draining: false, connections: 0, ...this.options.defaults };
      this.instances.set(name, state);
    }
    return state;
  }

  /** Calls of one kind, optionally for one instance. */
  callsOf(op: GatewayOp, instance?: string): GatewayCall[] {
    return this.calls.filter((c) => c.op === op && (instance === undefined || c.instance === instance));
  }

  health(instance: Instance, signal?: AbortSignal): Promise<Health> {
    return this.call('health', instance, signal, () => {
      const state = this.state(instance.name);
      if (state.health) return toHealth(this.step(instance.name, 'health', state.health), instance.name);
      return toHealth(state.draining ? 'draining' : 'ok', instance.name);
    });
  }

  connections(instance: Instance, signal?: AbortSignal): Promise<Count> {
    return this.call('connections', instance, signal, () => {
      const state = this.state(instance.name);
      if (state.counts) return toCount(this.step(instance.name, 'counts', state.counts));
      return { known: true, value: state.connections, ...(state.bootId ? { bootId: state.bootId } : {}) };
    });
  }

  drain(instance: Instance, signal?: AbortSignal): Promise<DrainAck> {
    return this.call('drain', instance, signal, () => {
      const state = this.state(instance.name);
      if (state.drainError) throw state.drainError;
      if (!state.ignoreDrain) state.draining = true;
      return { accepted: true, httpStatus: 202, active: { known: true, value: state.connections } };
    });
  }

  undrain(instance: Instance, signal?: AbortSignal): Promise<void> {
    return this.call('undrain', instance, signal, () => {
      const state = this.state(instance.name);
      if (state.undrainError) throw state.undrainError;
      state.draining = false;
    });
  }

  migrate(instance: Instance, request: MigrateRequest, signal?: AbortSignal): Promise<MigrateResult> {
    return this.call(
      'migrate',
      instance,
      signal,
      () => {
        const state = this.state(instance.name);
        if (state.migrateError) throw state.migrateError;
        const key = request.batchId === undefined ? undefined : `${instance.name}/${request.batchId}`;
        const previous = key === undefined ? undefined : this.batches.get(key);
        if (previous) return previous;
        const migrated = Math.min(request.count, state.connections);
        state.connections -= migrated;
        for (let i = 0; i < migrated; i += 1) {
          const lands = this.options.landing?.get(request.targets[i % request.targets.length]!);
          if (lands !== undefined) this.land(lands);
        }
        const result: MigrateResult = { migrated, remaining: { known: true, value: state.connections } };
        if (key !== undefined) this.batches.set(key, result);
        this.executedBatches.push({ instance: instance.name, ...(request.batchId !== undefined ? { batchId: request.batchId } : {}), migrated });
        if ((state.loseMigrateAnswers ?? 0) > 0) {
          state.loseMigrateAnswers! -= 1;
          throw gatewayError('unreachable', 'http://127.0.0.1:9087/admin/migrate');
        }
        return result;
      },
      request,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private land(instance: string): void {
    const delay = this.options.landingDelayMs ?? 0;
    if (delay === 0 || !this.options.clock) {
      this.state(instance).connections += 1;
      return;
    }
    void this.options.clock.sleep(delay).then(() => (this.state(instance).connections += 1));
  }

  private async call<T>(op: GatewayOp, instance: Instance, signal: AbortSignal | undefined, answer: () => T, migrate?: MigrateRequest): Promise<T> {
    const clock = this.options.clock;
    this.calls.push({ op, instance: instance.name, at: clock?.now() ?? 0, ...(migrate ? { migrate } : {}) });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      signal?.throwIfAborted();
      const latency = this.options.latencyMs ?? 0;
      if (latency > 0) {
        if (!clock) throw new Error('FakeGateway: latencyMs needs a clock');
        await clock.sleep(latency, signal);
      } else {
        await Promise.resolve();
      }
      signal?.throwIfAborted();
      return answer();
    } finally {
      this.inFlight--;
    }
  }

  private step<S>(name: string, script: 'counts' | 'health', steps: S[]): S {
    if (steps.length === 0) throw new Error(`FakeGateway: empty ${script} script for ${name}`);
    const key = `${name}/${script}`;
    const index = this.cursors.get(key) ?? 0;
    this.cursors.set(key, index + 1);
    return steps[Math.min(index, steps.length - 1)]!;
  }
}

function toCount(step: CountStep): Count {
  if (step === 'unknown') return unknownCount();
  if (typeof step === 'number') return { known: true, value: step };
  return step;
}

function toHealth(step: HealthStep, instance: string): Health {
  if (typeof step !== 'string') return step;
  switch (step) {
    case 'ok':
      return { status: 'ok', httpStatus: 200, instance };
    case 'draining':
      return { status: 'draining', httpStatus: 503, instance };
    case 'unreachable':
      return { status: 'unreachable', reason: 'connection refused', failure: 'unreachable' };
    case 'unknown':
      return { status: 'unknown', httpStatus: 200, reason: 'malformed body', failure: 'malformed' };
  }
}
