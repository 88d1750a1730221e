// A drain run on the in-memory fakes: every event is recorded with the fake time it was emitted.

import { drainInstances, defaultDrainSettings, type DrainEvent, type DrainSettings } from '../../../src/ops/drain/index.js';
import type { Instance } from '../../../src/ops/ports/index.js';
import { fakeInstances } from '../../support/fakes/index.js';
import { opsWorld } from '../../support/ops-world.js';

export type TimedEvent = DrainEvent & { at: number };

export interface HarnessOptions {
  instances?: number;
  settings?: Partial<DrainSettings>;
  withFleet?: boolean;
  latencyMs?: number;
}

export function drainHarness(options: HarnessOptions = {}) {
  const { clock, gateway, fleet, abort: controller } = opsWorld(options.instances ?? 1, options.latencyMs ? { latencyMs: options.latencyMs } : {});
  const instances = fakeInstances(options.instances ?? 1);
  const events: TimedEvent[] = [];
  const settings: DrainSettings = { ...defaultDrainSettings, timeoutMs: 60_000, ...options.settings };

  const start = (only: Instance[] = instances) =>
    drainInstances({
      instances: only,
      gateway,
      clock,
      settings,
      signal: controller.signal,
      ...(options.withFleet ? { fleet } : {}),
      onEvent: (event) => events.push({ ...event, at: clock.now() }),
    });

  return {
    clock,
    gateway,
    fleet,
    instances,
    controller,
    events,
    settings,
    start,
    /** Run to completion on the fake clock. */
    run: (only?: Instance[]) => clock.runUntilSettled(start(only)),
    eventsOf: <T extends DrainEvent['type']>(type: T) => events.filter((e): e is Extract<TimedEvent, { type: T }> => e.type === type),
  };
}
