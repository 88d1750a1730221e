// The CLI in process (gh's cmdutil.TestFactory): a Factory whose terminal writes into buffers and
// whose adapters hand out in-memory fakes of the ports. A command runs through the real program
// (global flags, commander, the exit-code table) without spawning anything.
//
//   const cli = await runInProcess(['drain', 'conduit-0', '--instances', 'conduit-0=http://x'], {
//     commands: (f) => [defineDrainCommand(f, async (_s, options) => void seen.push(options))],
//   });
//   expect(cli.code).toBe(0);

import { Writable } from 'node:stream';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import type { Adapters, GatewayClientConfig, KubeConfigOptions, KubeConnection, KubeNameKind, StaticFleetSource } from '../../../src/cli/adapters.js';
import type { Factory } from '../../../src/cli/factory.js';
import { buildProgram } from '../../../src/cli/program.js';
import { runCli } from '../../../src/cli/run.js';
import type { Fleet, GatewayAdmin, Rollouts, StickySampler, Workloads } from '../../../src/ops/ports/index.js';
import { readAdminTokenFile } from '../../../src/gateway/token-file.js';
import { FakeClock } from '../fakes/index.js';

/** A writable that keeps what was written; `isTTY` as a test wants it. */
export class BufferStream extends Writable {
  private chunks: string[] = [];
  constructor(readonly isTTY = false, readonly columns = 0) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(String(chunk));
    done();
  }
  text(): string {
    return this.chunks.join('');
  }
}

/** What the fake adapters hand out. Anything not given fails loudly if a command reaches for it. */
export interface FakeWorld {
  /** The fleet of --fleet / --instances (the static-fleet adapter). */
  staticFleet?: Fleet;
  /** The Kubernetes connection's ports. */
  kube?: { fleet: Fleet; workloads: Workloads; rollouts?: Rollouts; namespace?: string; inCluster?: boolean };
  gateway?: GatewayAdmin;
  stickySampler?: StickySampler;
  /** What the cluster lists for shell completion, per kind. */
  kubeNames?: Partial<Record<KubeNameKind, string[]>>;
}

/** What the fake adapters were asked for: the gateway client's config (token included), the fleet sources. */
export interface AdapterLog {
  gatewayConfigs: GatewayClientConfig[];
  staticFleets: StaticFleetSource[];
  kubeConnections: number;
  /** Name lists asked for by completion, with the kubeconfig/context/namespace they were asked in. */
  kubeNames: Array<{ kind: KubeNameKind; config: KubeConfigOptions }>;
}

function notWired(what: string): never {
  throw new Error(`test adapter not wired: ${what} (an in-process test reached for the world)`);
}

export function fakeAdapters(world: FakeWorld, log: AdapterLog): Adapters {
  return {
    async connectKube(): Promise<KubeConnection> {
      const kube = world.kube ?? notWired('Kubernetes');
      log.kubeConnections++;
      const namespace = kube.namespace ?? 'default';
      return {
        fleet: kube.fleet,
        workloads: kube.workloads,
        get rollouts() {
          return kube.rollouts ?? notWired('rollouts');
        },
        gatewayTransport: async (via) =>
          (via === 'auto' ? (kube.inCluster ? 'direct' : 'proxy') : via) === 'direct'
            ? { kind: 'direct' }
            : { kind: 'proxy', apiServer: 'https://kube.invalid', namespace, tls: {}, headers: {} },
        describe: () => ({ kind: 'kubernetes', source: `fake cluster, namespace ${namespace}`, cluster: 'fake', context: 'fake', namespace }),
        close: async () => {},
      };
    },
    async staticFleet(source) {
      log.staticFleets.push(source);
      return world.staticFleet ?? notWired('static fleet');
    },
    async gatewayAdmin(config) {
      log.gatewayConfigs.push(config);
      return world.gateway ?? notWired('gateway admin client');
    },
    readAdminTokenFile,
    async stickySampler() {
      return world.stickySampler ?? notWired('sticky sampler');
    },
    async kubeNames(kind, config) {
      log.kubeNames.push({ kind, config });
      return world.kubeNames?.[kind] ?? notWired(`Kubernetes ${kind}`);
    },
  };
}

export interface TestFactoryOptions {
  world?: FakeWorld;
  env?: Record<string, string>;
  clock?: FakeClock;
  signal?: AbortSignal;
  /** stderr as an interactive terminal (spinners). Default false. */
  ttyErr?: boolean;
}

export interface TestFactory {
  factory: Factory;
  out: BufferStream;
  err: BufferStream;
  log: AdapterLog;
}

export function testFactory(o: TestFactoryOptions = {}): TestFactory {
  const out = new BufferStream();
  const err = new BufferStream(o.ttyErr ?? false, o.ttyErr ? 80 : 0);
  const log: AdapterLog = { gatewayConfigs: [], staticFleets: [], kubeConnections: 0, kubeNames: [] };
  const factory: Factory = {
    programName: 'conduitctl',
    version: '0.0.0-test',
    terminal: { in: Readable.from([]), out, err, env: { noColor: true, forceColor: false, ci: true, dumb: false } },
    env: { ...o.env },
    clock: o.clock ?? new FakeClock(),
    operator: 'conduitctl@test/1',
    signal: o.signal ?? new AbortController().signal,
    installation: { cliEntry: '/nonexistent/conduitctl.js', distDir: '/nonexistent/dist' },
    adapters: fakeAdapters(o.world ?? {}, log),
  };
  return { factory, out, err, log };
}

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
  log: AdapterLog;
}

export interface InProcessOptions extends TestFactoryOptions {
  /** The verbs to register (default: every real one). */
  commands?: (f: Factory) => Command[];
}

/**
 * Run argv through the real program in this process; never throws. The fake clock moves whenever
 * the command waits on it (and only then), so polls and deadlines pass without real time.
 */
export async function runInProcess(argv: string[], o: InProcessOptions = {}): Promise<InProcessResult> {
  const clock = o.clock ?? new FakeClock();
  const { factory, out, err, log } = testFactory({ ...o, clock });
  const program = buildProgram(factory, o.commands?.(factory));
  const code = await driveClock(clock, runCli(argv, factory, program));
  return { code, stdout: out.text(), stderr: err.text(), log };
}

async function driveClock<T>(clock: FakeClock, work: Promise<T>): Promise<T> {
  let settled = false;
  work.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    await new Promise((resolve) => setImmediate(resolve));
    // Real I/O (a dynamic import, a token file) may be pending with nobody asleep: give it a turn.
    if (!settled && !clock.advanceToNext()) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return work;
}
