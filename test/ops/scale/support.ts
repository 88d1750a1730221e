// A small world for scale tests: a StatefulSet of n fake pods, their gateways and a fake clock.
import { exitCodeFor } from '../../../src/cli/exit-codes.js';
import { failureOf, type OpOutcome } from '../../../src/commands/shared/index.js';

import { defaultScaleSettings, scaleStatefulSet, type ScaleEvent, type ScaleOptions, type ScaleResult } from '../../../src/ops/scale/index.js';
import type { FakeClock, FakeFleet, FakeGateway, FakeWorkloads, ControllerMode } from '../../support/fakes/index.js';
import { opsWorld } from '../../support/ops-world.js';

export interface ScaleWorld {
  clock: FakeClock;
  fleet: FakeFleet;
  kube: FakeWorkloads;
  gateway: FakeGateway;
  events: ScaleEvent[];
  abort: AbortController;
  run(options?: Partial<ScaleOptions>): Promise<ScaleResult>;
  /** Event types in order, drain events as `drain:<type>:<instance>`. */
  trace(): string[];
}

export function scaleWorld(n = 3, { controller = 'immediate' as ControllerMode, policy = 'OrderedReady' as 'OrderedReady' | 'Parallel' } = {}): ScaleWorld {
  const { clock, fleet, kube, gateway, abort } = opsWorld(n, { controller, policy });
  const events: ScaleEvent[] = [];
  return {
    clock,
    fleet,
    kube,
    gateway,
    events,
    abort,
    run(options = {}) {
      const { onEvent, ...rest } = options;
      return clock.runUntilSettled(
        scaleStatefulSet({
          workloads: kube,
          fleet,
          gateway,
          clock,
          signal: abort.signal,
          name: 'conduit',
          replicas: n - 1,
          dryRun: false,
          allowHpa: false,
          allowZero: false,
          keepDraining: false,
          holder: 'conduitctl@test/1',
          settings: { ...defaultScaleSettings, timeoutMs: 60_000, minDrainMs: 2_000, pollIntervalMs: 500, stallAfterMs: 5_000 },
          ...rest,
          onEvent: (event) => {
            events.push(event);
            onEvent?.(event);
          },
        }),
      );
    },
    trace() {
      return events.map((e) => {
        if (e.type === 'drain') return `drain:${e.event.type}${'instance' in e.event ? `:${e.event.instance}` : ''}`;
        if ('instance' in e) return `${e.type}:${e.instance}`;
        return e.type;
      });
    },
  };
}

/** The exit code a command gives this result: through the one outcome → failure table and the exit-code table. */
export function exitCodeOf(result: { outcome: OpOutcome; message: string; hint?: string }): number {
  const failure = failureOf(result.outcome, result.message, result.hint);
  return failure ? exitCodeFor(failure) : 0;
}
