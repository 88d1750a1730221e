import { describe, expect, it } from 'vitest';
import { RefusedError, UsageError } from '../../../src/ops/errors.js';
import { runProbe, type ProbeRunOptions } from '../../../src/ops/probe/index.js';
import { FakeClock, FakeCommandRunner, FakeProbePool, FakeRollouts } from '../../support/fakes/index.js';

const PODS = ['conduit-0', 'conduit-1', 'conduit-2'];

function options(overrides: Partial<ProbeRunOptions> = {}): ProbeRunOptions {
  return {
    url: 'ws://lb/v1/subscribe',
    connections: 30,
    connectRatePerSecond: 500,
    handshakeTimeoutMs: 5_000,
    bound: { kind: 'duration', durationMs: 10_000 },
    settleMs: 5_000,
    thresholds: { maxSilent: 0, maxGap: 0, maxReconnectP99Ms: null },
    ...overrides,
  };
}

function world(onSnapshot?: ConstructorParameters<typeof FakeProbePool>[2]) {
  const clock = new FakeClock();
  const pool = new FakeProbePool(clock, 30, onSnapshot ?? ((p) => p.state.everOpened === 0 && p.allOpenOn(PODS)));
  return { clock, pool, signal: new AbortController().signal };
}

describe('runProbe: --duration', () => {
  it('PASS when nothing closed: the report names what was held, and unknown reconnect times stay null', async () => {
    const { clock, pool, signal } = world();
    const report = await clock.runUntilSettled(runProbe(options(), { pool, clock, signal }));
    expect(report).toMatchObject({ kind: 'ProbeReport', verdict: 'PASS', reasons: [], outcome: 'completed' });
    expect(report.connections).toMatchObject({ requested: 30, opened: 30, connected: 30, neverOpened: 0, openAtEnd: 30 });
    expect(report.closes).toMatchObject({ total: 0, clean: 0, silent: 0 });
    expect(report.reconnectMs).toEqual({ count: 0, p50: null, p95: null, p99: null, max: null });
    expect(report.instances.before).toEqual({ 'conduit-0': 10, 'conduit-1': 10, 'conduit-2': 10 });
    expect(report.timeline.points.length).toBeGreaterThanOrEqual(10);
    expect(pool.stopped).toBe(true);
  });

  it('silent drops above --max-silent fail, naming the instance; within it they pass', async () => {
    const script = (p: FakeProbePool, elapsed: number) => {
      if (p.state.everOpened === 0) p.allOpenOn(PODS);
      else if (elapsed >= 3_000 && p.state.closes === 0) {
        p.close('conduit-1', 4, true);
        p.state.reconnectMs = [120, 150, 900, 200];
      } else if (elapsed >= 4_000) p.allOpenOn(PODS);
    };
    const failing = world(script);
    const report = await failing.clock.runUntilSettled(runProbe(options(), failing));
    expect(report.verdict).toBe('FAIL');
    expect(report.silentByInstance).toEqual({ 'conduit-1': 4 });
    expect(report.reasons).toEqual(['4 silent drops (max 0): conduit-1 4']);
    expect(report.reconnectMs).toEqual({ count: 4, p50: 150, p95: 900, p99: 900, max: 900 });

    const atLimit = world(script);
    const passed = await atLimit.clock.runUntilSettled(runProbe(options({ thresholds: { maxSilent: 4, maxGap: 0, maxReconnectP99Ms: null } }), atLimit));
    expect(passed.verdict).toBe('PASS');
    const oneOver = world(script);
    const over = await oneOver.clock.runUntilSettled(runProbe(options({ thresholds: { maxSilent: 3, maxGap: 0, maxReconnectP99Ms: null } }), oneOver));
    expect(over.reasons).toEqual(['4 silent drops (max 3): conduit-1 4']);
  });

  it('gaps above --max-gap and a reconnect p99 above --max-reconnect-p99 fail', async () => {
    const w = world((p, elapsed) => {
      if (p.state.everOpened === 0) p.allOpenOn(PODS);
      if (elapsed >= 2_000) {
        p.state.gaps = 2;
        p.state.reconnectMs = [100, 3_000];
      }
    });
    const report = await w.clock.runUntilSettled(runProbe(options({ thresholds: { maxSilent: 0, maxGap: 0, maxReconnectP99Ms: 2_000 } }), w));
    expect(report.verdict).toBe('FAIL');
    expect(report.reasons).toEqual(['2 missing sequence numbers (max 0)', 'reconnect p99 3s is above 2s']);
  });

  it('a URL that refuses every connection ends early as unreachable, with the causes', async () => {
    const w = world((p) => {
      p.state.failed = 30;
      p.state.failuresByCause = { http: 30 };
      p.state.failuresByHttpStatus = { '503': 30 };
    });
    const report = await w.clock.runUntilSettled(runProbe(options(), w));
    expect(report.outcome).toBe('unreachable');
    expect(report.verdict).toBe('FAIL');
    expect(report.reasons[0]).toBe('no connection opened: refused upgrade HTTP 503 ×30');
    expect(w.clock.now()).toBeLessThan(10_000);
  });

  it('an interrupt mid-run still returns the report, marked interrupted', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const pool = new FakeProbePool(clock, 30, (p, elapsed) => {
      if (p.state.everOpened === 0) p.allOpenOn(PODS);
      if (elapsed >= 4_000) controller.abort();
    });
    const report = await clock.runUntilSettled(runProbe(options(), { pool, clock, signal: controller.signal }));
    expect(report.outcome).toBe('interrupted');
    expect(report.verdict).toBe('FAIL');
    expect(report.connections.openAtEnd).toBe(30);
    expect(pool.stopped).toBe(true);
  });
});

describe('runProbe: --until-stopped', () => {
  it('probes until the signal, then — stopping being its bound — settles and judges: PASS, outcome completed', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    let closedAt: number | undefined;
    const pool = new FakeProbePool(clock, 30, (p, elapsed) => {
      if (p.state.everOpened === 0) p.allOpenOn(PODS);
      else if (elapsed >= 20_000 && closedAt === undefined) {
        closedAt = elapsed;
        p.close('conduit-2', 10, false); // announced closes; they are back 2 s later
      } else if (closedAt !== undefined && elapsed >= closedAt + 2_000) p.allOpenOn(['conduit-0', 'conduit-1']);
      if (elapsed >= 21_000) controller.abort();
    });
    const report = await clock.runUntilSettled(runProbe(options({ bound: { kind: 'until-stopped' } }), { pool, clock, signal: controller.signal }));
    expect(report).toMatchObject({ outcome: 'completed', verdict: 'PASS', bound: { kind: 'until-stopped' } });
    expect(report.closes).toMatchObject({ total: 10, clean: 10, silent: 0 });
    // It kept sampling after the stop until every connection was back, within --settle.
    expect(report.connections.openAtEnd).toBe(30);
    expect(report.instances.after).toEqual({ 'conduit-0': 15, 'conduit-1': 15 });
    expect(clock.now()).toBeGreaterThanOrEqual(22_000);
    expect(clock.now()).toBeLessThan(21_000 + 5_000 + 1_000);
    expect(pool.stopped).toBe(true);
  });

  it('silent drops seen before the stop fail it (exit 1, not 130)', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const pool = new FakeProbePool(clock, 30, (p, elapsed) => {
      if (p.state.everOpened === 0) p.allOpenOn(PODS);
      else if (elapsed >= 3_000 && p.state.closes === 0) p.close('conduit-1', 2, true);
      else if (elapsed >= 4_000) p.allOpenOn(PODS);
      if (elapsed >= 6_000) controller.abort();
    });
    const report = await clock.runUntilSettled(runProbe(options({ bound: { kind: 'until-stopped' } }), { pool, clock, signal: controller.signal }));
    expect(report).toMatchObject({ outcome: 'completed', verdict: 'FAIL', reasons: ['2 silent drops (max 0): conduit-1 2'] });
  });

  it('stopped before every connection opened, it is an interruption (the bound never began)', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const pool = new FakeProbePool(clock, 30, (_p, elapsed) => {
      if (elapsed >= 2_000) controller.abort();
    });
    const report = await clock.runUntilSettled(runProbe(options({ bound: { kind: 'until-stopped' } }), { pool, clock, signal: controller.signal }));
    expect(report.outcome).toBe('interrupted');
  });
});

describe('runProbe: --rollout sts/NAME', () => {
  const rolloutBound = (restart = true) => ({ kind: 'rollout' as const, statefulSet: 'conduit', restart, timeoutMs: 60_000 });

  it('restarts the way kubectl does, watches until every pod is on the new revision, and checks where the connections are', async () => {
    const rollouts = new FakeRollouts('conduit');
    const { clock, pool, signal } = world((p) => {
      if (p.state.everOpened === 0) p.allOpenOn(PODS);
    });
    const report = await clock.runUntilSettled(runProbe(options({ bound: rolloutBound() }), { pool, clock, signal, rollouts }));
    expect(rollouts.restarts).toEqual(['2026-01-01T00:00:00Z']);
    expect(report.rollout).toMatchObject({ statefulSet: 'conduit', restarted: true, fromRevision: 'rev-1', toRevision: 'rev-2', complete: true, connectionsElsewhere: 0 });
    expect(report.rollout!.newRevisionPods.sort()).toEqual(PODS);
    expect(report.verdict).toBe('PASS');
  });

  it('connections left on pods of no new revision fail the run', async () => {
    const rollouts = new FakeRollouts('conduit');
    const { clock, pool, signal } = world((p) => {
      if (p.state.everOpened === 0) p.allOpenOn(['conduit-0', 'conduit-1', 'old-pod']);
    });
    const report = await clock.runUntilSettled(runProbe(options({ bound: rolloutBound() }), { pool, clock, signal, rollouts }));
    expect(report.rollout!.connectionsElsewhere).toBe(10);
    expect(report.reasons).toEqual(['10 connections not on a pod of revision rev-2']);
  });

  it('a rollout that never completes ends at --timeout as rollout-timeout (exit 4), the state described', async () => {
    const rollouts = new FakeRollouts('conduit');
    rollouts.stuck = true;
    const { clock, pool, signal } = world();
    const report = await clock.runUntilSettled(runProbe(options({ bound: rolloutBound() }), { pool, clock, signal, rollouts }));
    expect(report.outcome).toBe('rollout-timeout');
    expect(report.rollout).toMatchObject({ complete: false, durationMs: null, state: '0/3 pods on revision rev-2, 3 ready' });
    expect(report.reasons).toContain('the rollout did not complete in time (0/3 pods on revision rev-2, 3 ready)');
    expect(pool.stopped).toBe(true);
  });

  it('a missing StatefulSet is a usage error and a denied patch is refused — both before any connection or change', async () => {
    const missing = new FakeRollouts('conduit');
    missing.exists = false;
    const a = world();
    await expect(runProbe(options({ bound: rolloutBound() }), { ...a, rollouts: missing })).rejects.toThrow(UsageError);
    expect(a.pool.started).toBe(false);

    const denied = new FakeRollouts('conduit');
    denied.deniedChecks = [{ verb: 'patch', group: 'apps', resource: 'statefulsets' }];
    const b = world();
    await expect(runProbe(options({ bound: rolloutBound() }), { ...b, rollouts: denied })).rejects.toThrow(RefusedError);
    await expect(runProbe(options({ bound: rolloutBound() }), { ...b, rollouts: denied })).rejects.toThrow('not allowed to patch statefulsets.apps "conduit"');
    expect(b.pool.started).toBe(false);
    expect(denied.restarts).toEqual([]);
    // Without --restart nothing is patched, so nothing more is asked.
    const c = world();
    const report = await c.clock.runUntilSettled(runProbe(options({ bound: rolloutBound(false) }), { ...c, rollouts: denied }));
    expect(report.rollout).toMatchObject({ restarted: false, complete: true });
  });

  it('when the connections cannot all open, nothing is restarted', async () => {
    const rollouts = new FakeRollouts('conduit');
    const w = world((p) => {
      p.state.everOpened = 10;
      p.state.open = 10;
      p.state.distribution = { 'conduit-0': 10 };
    });
    const report = await w.clock.runUntilSettled(runProbe(options({ bound: rolloutBound() }), { ...w, rollouts }));
    expect(report.outcome).toBe('ramp-incomplete');
    expect(rollouts.restarts).toEqual([]);
    expect(report.reasons[0]).toMatch(/^20 connections of 30 never opened/);
  });
});

describe('runProbe: -- COMMAND', () => {
  it('probes until the program exits, then the whole --settle; a failed program fails the run, its arguments never reported', async () => {
    const commands = new FakeCommandRunner();
    const w = world((p, elapsed) => {
      if (p.state.everOpened === 0) p.allOpenOn(PODS);
      if (elapsed >= 3_000 && commands.started.length === 1) commands.exit(3);
    });
    const report = await w.clock.runUntilSettled(runProbe(options({ bound: { kind: 'command', argv: ['./restart.sh', '--token', 's3cret'] } }), { ...w, commands }));
    expect(commands.started).toEqual([['./restart.sh', '--token', 's3cret']]);
    expect(report.command).toMatchObject({ program: './restart.sh', exitCode: 3, failed: true });
    expect(report.reasons).toEqual(['the command ./restart.sh exited 3']);
    expect(JSON.stringify(report)).not.toContain('s3cret');
    // settle is watched in full after a command (what it started may still be closing connections)
    expect(report.durationMs).toBeGreaterThanOrEqual(3_000 + 5_000);
  });

  it('an interrupt stops the program too', async () => {
    const commands = new FakeCommandRunner();
    const clock = new FakeClock();
    const controller = new AbortController();
    const pool = new FakeProbePool(clock, 30, (p, elapsed) => {
      if (p.state.everOpened === 0) p.allOpenOn(PODS);
      if (elapsed >= 2_000) controller.abort();
    });
    const report = await clock.runUntilSettled(runProbe(options({ bound: { kind: 'command', argv: ['helm'] } }), { pool, clock, signal: controller.signal, commands }));
    expect(report.outcome).toBe('interrupted');
    expect(commands.stoppedWith).toHaveLength(1);
    expect(report.command).toMatchObject({ program: 'helm', signal: 'SIGTERM' });
  });
});
