// `probe`: hold N connections through a bound (a duration, a StatefulSet rollout, another
// program's run, or until stopped) and report every close. The procedure: preflight (nothing opened, nothing
// changed), open the connections, note where they are, run the bound, let them settle, stop.
import { accessChecksFor, deniedMessage } from '../access/index.js';
import { RefusedError, UsageError } from '../errors.js';
import type { Clock, CommandExit, CommandRunner, ProbePool, ProbePoolSnapshot, Rollouts, RolloutState, RunningCommand } from '../ports/index.js';
import { formatDuration } from '../../util/duration.js';
import type { ProbePhase, ProbeProgress } from './events.js';
import { rampTimeoutMs, type ProbeRunOptions } from './options.js';
import { buildProbeReport, type ProbeOutcome, type ProbeReport, type ReportInput, type RolloutSummary } from './report.js';
import { describeRollout, newRevisionPods, restartedAtValue, rolloutComplete } from './rollout.js';
import { Timeline } from './timeline.js';

export interface ProbeDeps {
  pool: ProbePool;
  clock: Clock;
  signal: AbortSignal;
  rollouts?: Rollouts;
  commands?: CommandRunner;
  onProgress?: (progress: ProbeProgress) => void;
}

const COMMAND_STOP_GRACE_MS = 5_000;

class Interrupted extends Error {}

export async function runProbe(options: ProbeRunOptions, deps: ProbeDeps): Promise<ProbeReport> {
  const { pool, clock, signal, onProgress } = deps;
  const sampleMs = options.sampleIntervalMs ?? 1_000;
  const { bound } = options;
  const rollouts = bound.kind === 'rollout' ? requireRollouts(deps.rollouts) : undefined;
  const preflight = rollouts && bound.kind === 'rollout' ? await preflightRollout(rollouts, bound.statefulSet, bound.restart, signal) : undefined;

  const startedAt = clock.now();
  const timeline = new Timeline();
  let last: ProbePoolSnapshot = pool.snapshot();
  let before: Record<string, number> = {};
  let outcome: ProbeOutcome = 'completed';
  let rollout: RolloutSummary | undefined;
  let command: ReportInput['command'];
  let running: RunningCommand | undefined;

  // Stopping an until-stopped probe is its bound, not an interruption: what follows runs on.
  let abortOn: AbortSignal | undefined = signal;

  /** Sample every interval until `done` says so or `deadlineAt` passes; false on the deadline. */
  const watch = async (phase: ProbePhase, deadlineAt: number, done: (s: ProbePoolSnapshot) => boolean | Promise<boolean>, detail: () => string): Promise<boolean> => {
    for (;;) {
      last = pool.snapshot();
      timeline.record(last);
      if (abortOn?.aborted) throw new Interrupted();
      const finished = await done(last);
      onProgress?.({ phase, snapshot: last, detail: detail() });
      if (finished) return true;
      const remaining = deadlineAt - clock.now();
      if (remaining <= 0) return false;
      try {
        await clock.sleep(Math.min(sampleMs, remaining), abortOn);
      } catch {
        throw new Interrupted();
      }
    }
  };

  pool.start();
  try {
    const rampDeadline = clock.now() + rampTimeoutMs(options);
    const opened = await watch('connecting', rampDeadline, (s) => s.everOpened === s.connections || (s.everOpened === 0 && s.failed >= s.connections), () => '');
    if (last.everOpened === 0) outcome = 'unreachable';
    else if (!opened && bound.kind === 'rollout') outcome = 'ramp-incomplete';
    else {
      before = { ...last.distribution };
      switch (bound.kind) {
        case 'duration': {
          const until = clock.now() + bound.durationMs;
          await watch('probing', until, () => false, () => `${formatDuration(Math.max(0, until - clock.now()))} left`);
          break;
        }
        case 'rollout':
          rollout = await rollThrough(rollouts!, bound.statefulSet, bound.restart, bound.timeoutMs, preflight!);
          if (!rollout.complete) outcome = 'rollout-timeout';
          break;
        case 'command': {
          const commandStarted = clock.now();
          running = requireCommands(deps.commands).start(bound.argv);
          let exit: CommandExit | undefined;
          void running.exited.then((e) => (exit = e));
          await watch('command', Number.POSITIVE_INFINITY, async () => {
            await Promise.resolve();
            return exit !== undefined;
          }, () => `running ${bound.argv[0]}`);
          command = { argv: bound.argv, exit: exit!, durationMs: clock.now() - commandStarted };
          running = undefined;
          break;
        }
        case 'until-stopped':
          try {
            await watch('probing', Number.POSITIVE_INFINITY, () => false, () => 'until stopped (Ctrl-C)');
          } catch (error) {
            if (!(error instanceof Interrupted)) throw error;
            abortOn = undefined;
          }
          break;
      }
      if (outcome === 'completed') await settle();
    }
  } catch (error) {
    if (!(error instanceof Interrupted)) {
      await pool.stop();
      await running?.stop(COMMAND_STOP_GRACE_MS);
      throw error;
    }
    outcome = 'interrupted';
    if (running) {
      const exit = await running.stop(COMMAND_STOP_GRACE_MS);
      if (bound.kind === 'command') command = { argv: bound.argv, exit, durationMs: clock.now() - startedAt };
    }
  }

  const after = { ...last.distribution };
  const openAtEnd = last.open;
  if (rollout) rollout = { ...rollout, connectionsElsewhere: pool.openElsewhere(new Set(rollout.newRevisionPods)) };
  await pool.stop();
  const final = pool.snapshot();
  return buildProbeReport({ options, outcome, durationMs: clock.now() - startedAt, final, before, after, openAtEnd, timeline: timeline.result(), rollout, command });

  /**
   * A rollout or a duration is over when it says so; after another program exits, what it set in
   * motion (a SIGTERM, a deploy) may still be closing connections, so the whole settle time is watched.
   */
  async function settle(): Promise<void> {
    const until = clock.now() + options.settleMs;
    const allowed = rollout ? new Set(rollout.newRevisionPods) : undefined;
    const back = (s: ProbePoolSnapshot) => bound.kind !== 'command' && s.open === s.connections && (allowed === undefined || pool.openElsewhere(allowed) === 0);
    await watch('settling', until, back, () => `${formatDuration(Math.max(0, until - clock.now()))} to settle`);
  }

  async function rollThrough(port: Rollouts, name: string, restart: boolean, timeoutMs: number, initial: RolloutState): Promise<RolloutSummary> {
    const rollStarted = clock.now();
    const deadline = rollStarted + timeoutMs;
    let restartedAt: string | null = null;
    let generation = initial.generation;
    if (restart) {
      restartedAt = restartedAtValue(clock.wallNow());
      generation = (await port.restart(name, restartedAt, signal)).generation;
    }
    let state = initial;
    let complete = false;
    let readFailure: string | undefined;
    const finished = await watch(
      'rolling',
      deadline,
      async () => {
        try {
          const read = await port.readRollout(name, signal);
          if (read === undefined) throw new UsageError(`statefulset "${name}" was deleted during the rollout`);
          state = read;
          readFailure = undefined;
        } catch (error) {
          if (signal.aborted) throw new Interrupted();
          if (error instanceof UsageError) throw error;
          // A failed read is unknown, never "complete": keep watching until the deadline.
          readFailure = (error as Error).message;
          return false;
        }
        complete = rolloutComplete(state, generation);
        return complete;
      },
      () => (readFailure ? `cannot read the rollout: ${readFailure}` : describeRollout(state)),
    );
    return {
      statefulSet: name,
      restarted: restart,
      restartedAt,
      fromRevision: initial.currentRevision ?? null,
      toRevision: state.updateRevision ?? null,
      complete: finished && complete,
      state: describeRollout(state),
      durationMs: finished ? Math.round(clock.now() - rollStarted) : null,
      newRevisionPods: newRevisionPods(state),
      connectionsElsewhere: 0,
    };
  }
}

async function preflightRollout(rollouts: Rollouts, name: string, restart: boolean, signal: AbortSignal): Promise<RolloutState> {
  const state = await rollouts.readRollout(name, signal);
  if (state === undefined) throw new UsageError(`statefulset "${name}" not found`);
  const denied = await rollouts.denied(accessChecksFor({ operation: 'rollout', statefulSet: name, restart }), signal);
  if (denied.length > 0) {
    throw new RefusedError(`${denied.map(deniedMessage).join('; ')}: nothing was opened or changed`, restart ? 'docs/rbac.md shows the optional Role that lets `probe --restart` patch the StatefulSet' : undefined);
  }
  return state;
}

function requireRollouts(rollouts: Rollouts | undefined): Rollouts {
  if (!rollouts) throw new UsageError('--rollout needs a Kubernetes cluster (a kubeconfig or in-cluster credentials)');
  return rollouts;
}

function requireCommands(commands: CommandRunner | undefined): CommandRunner {
  if (!commands) throw new Error('probe: a command bound needs a CommandRunner');
  return commands;
}

