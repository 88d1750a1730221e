// What the phases of one scale run share.

import type { Deadline } from '../../util/deadline.js';
import type { Instance, StatefulSetInfo } from '../ports/index.js';
import type { ScaleEvent } from './events.js';
import type { HeldLock } from '../workload-lock/index.js';
import type { ScaleOptions } from './options.js';
import type { ScalePlan } from './plan-types.js';
import type { ScaleOutcome, ScaleResult } from './result.js';

export interface ScaleRun {
  options: ScaleOptions;
  plan: ScalePlan;
  statefulSet: StatefulSetInfo;
  pods: readonly Instance[];
  deadline: Deadline;
  lock: HeldLock;
  emit(event: ScaleEvent): void;
  finish(outcome: ScaleOutcome, message: string, extra?: Partial<ScaleResult>): ScaleResult;
}
