// What every per-instance step of a drain shares.

import type { Deadline } from '../../util/deadline.js';
import type { Clock, Fleet, GatewayAdmin } from '../ports/index.js';
import type { DrainEvent } from './events.js';
import type { DrainSettings } from './settings.js';
import type { InstanceTracker } from './tracker.js';

export interface DrainContext {
  gateway: GatewayAdmin;
  clock: Clock;
  settings: DrainSettings;
  fleet?: Fleet;
  /** The run's signal: aborted on interrupt, and when another instance stops the run. */
  signal: AbortSignal;
  deadline: Deadline;
  emit(event: DrainEvent): void;
  /** Called after every count poll (and when an instance finishes), for the progress rounds. */
  polled(t: InstanceTracker): void;
}

/** Sleep up to `ms`, never past the overall deadline. */
export function sleepWithinDeadline(ctx: DrainContext, ms: number, until = ctx.deadline): Promise<void> {
  return ctx.clock.sleep(Math.min(ms, until.remaining()), ctx.signal);
}
