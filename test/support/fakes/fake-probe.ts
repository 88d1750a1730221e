// Fakes of the probe's ports: a pool whose numbers the test sets, StatefulSet rollouts that move
// one step per read, and a command runner whose program exits when the test says.
import type {
  AccessCheck,
  CommandExit,
  CommandRunner,
  ProbePool,
  ProbePoolSnapshot,
  RolloutState,
  Rollouts,
  RunningCommand,
} from '../../../src/ops/ports/index.js';
import type { FakeClock } from './fake-clock.js';

export function emptySnapshot(connections: number): ProbePoolSnapshot {
  return {
    elapsedMs: 0, connections, open: 0, connecting: 0, waiting: connections, everOpened: 0, attempts: 0, opened: 0, failed: 0,
    failuresByCause: {}, failuresByHttpStatus: {}, closes: 0, closesByCode: {}, clean: 0, silent: 0, silentByCause: {},
    silentByInstance: {}, closesByInstance: {}, noticesByKind: {}, migrations: 0, gaps: 0, gapEvents: 0, gapsByInstance: {},
    moved: 0, distribution: {}, firstDistribution: {}, reconnectMs: [], samples: { closes: [], failures: [] },
  };
}

/**
 * A ProbePool whose state is `state`, changed by the test or by `onSnapshot` (called on every
 * snapshot with the fake time since start). `openOn` places every open connection on instances.
 */
export class FakeProbePool implements ProbePool {
  state: ProbePoolSnapshot;
  started = false;
  stopped = false;
  private startedAt = 0;

  constructor(
    private readonly clock: FakeClock,
    connections: number,
    private readonly onSnapshot: (pool: FakeProbePool, elapsedMs: number) => void = () => {},
  ) {
    this.state = emptySnapshot(connections);
  }

  /** Every connection open, spread round-robin over `instances`. */
  allOpenOn(instances: string[]): void {
    const n = this.state.connections;
    const distribution: Record<string, number> = {};
    for (let i = 0; i < n; i++) distribution[instances[i % instances.length]!] = (distribution[instances[i % instances.length]!] ?? 0) + 1;
    const first = this.state.everOpened === 0;
    this.state = { ...this.state, open: n, waiting: 0, connecting: 0, everOpened: n, opened: this.state.opened + (n - this.state.open), distribution };
    if (first) this.state.firstDistribution = { ...distribution };
  }

  /** `count` connections of `instance` closed (silent or with a notice) and waiting to reconnect. */
  close(instance: string, count: number, silent: boolean, code = silent ? 1006 : 1001): void {
    const s = this.state;
    s.distribution = { ...s.distribution, [instance]: (s.distribution[instance] ?? 0) - count };
    s.open -= count;
    s.waiting += count;
    s.closes += count;
    s.closesByCode = { ...s.closesByCode, [code]: (s.closesByCode[code] ?? 0) + count };
    s.closesByInstance = { ...s.closesByInstance, [instance]: (s.closesByInstance[instance] ?? 0) + count };
    if (silent) {
      s.silent += count;
      s.silentByCause = { ...s.silentByCause, abnormal: (s.silentByCause.abnormal ?? 0) + count };
      s.silentByInstance = { ...s.silentByInstance, [instance]: (s.silentByInstance[instance] ?? 0) + count };
    } else s.clean += count;
  }

  start(): void {
    this.started = true;
    this.startedAt = this.clock.now();
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  snapshot(): ProbePoolSnapshot {
    if (this.started && !this.stopped) this.onSnapshot(this, this.clock.now() - this.startedAt);
    return structuredClone({ ...this.state, elapsedMs: this.started ? this.clock.now() - this.startedAt : 0 });
  }

  openElsewhere(instances: ReadonlySet<string>): number {
    return Object.entries(this.state.distribution).reduce((sum, [instance, n]) => sum + (instances.has(instance) ? 0 : n), 0);
  }
}

/**
 * A StatefulSet `name` of `replicas` pods on revision rev-1. restart() makes rev-2 the update
 * revision; from then on every read replaces one more pod (highest ordinal first), unless `stuck`.
 */
export class FakeRollouts implements Rollouts {
  restarts: string[] = [];
  reads = 0;
  deniedChecks: AccessCheck[] = [];
  exists = true;
  stuck = false;
  private state: RolloutState;

  constructor(
    readonly name: string,
    replicas = 3,
  ) {
    const pods = Array.from({ length: replicas }, (_, i) => ({ name: `${name}-${i}`, revision: 'rev-1', ready: true, terminating: false }));
    this.state = { name, generation: 1, observedGeneration: 1, replicas, readyReplicas: replicas, updatedReplicas: replicas, currentRevision: 'rev-1', updateRevision: 'rev-1', pods };
  }

  async readRollout(): Promise<RolloutState | undefined> {
    this.reads += 1;
    if (!this.exists) return undefined;
    const s = this.state;
    if (s.updateRevision === 'rev-2' && !this.stuck) {
      if (s.observedGeneration < s.generation) s.observedGeneration = s.generation;
      else {
        const next = [...s.pods].reverse().find((p) => p.revision !== 'rev-2');
        if (next) next.revision = 'rev-2';
        s.updatedReplicas = s.pods.filter((p) => p.revision === 'rev-2').length;
        if (s.updatedReplicas === s.replicas) s.currentRevision = 'rev-2';
      }
    }
    return structuredClone(s);
  }

  async restart(_name: string, restartedAt: string): Promise<{ generation: number }> {
    this.restarts.push(restartedAt);
    this.state.generation += 1;
    this.state.updateRevision = 'rev-2';
    this.state.updatedReplicas = 0;
    return { generation: this.state.generation };
  }

  async denied(checks: AccessCheck[]): Promise<AccessCheck[]> {
    return checks.filter((c) => this.deniedChecks.some((d) => d.verb === c.verb && d.resource === c.resource));
  }
}

/** A program that runs until `exit()` is called; records what it was started with and whether it was stopped. */
export class FakeCommandRunner implements CommandRunner {
  started: string[][] = [];
  stoppedWith: number[] = [];
  private finish: ((exit: CommandExit) => void) | undefined;

  start(argv: readonly string[]): RunningCommand {
    this.started.push([...argv]);
    const exited = new Promise<CommandExit>((resolve) => (this.finish = resolve));
    return {
      exited,
      stop: async (graceMs) => {
        this.stoppedWith.push(graceMs);
        this.finish?.({ code: null, signal: 'SIGTERM' });
        return exited;
      },
    };
  }

  exit(code: number): void {
    this.finish?.({ code, signal: null });
  }
}
