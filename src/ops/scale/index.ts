// `scale`: a pure plan (plan.ts) and its execution (execute.ts). See each file's header.
export { scaleStatefulSet } from './execute.js';
export type { ScaleOptions } from './options.js';
export { planScale, estimateDrainMs, directionOf, MAX_CONNECTIONS_ANNOTATION, type ScalePlanInput, type ScalePolicy } from './plan.js';
export type * from './plan-types.js';
export type { ScaleEvent, ScaleEventHandler } from './events.js';
export type { ScaleOutcome, ScaleResult, VictimReport, VictimState } from './result.js';
export { defaultScaleSettings, type ScaleSettings } from './settings.js';
export { describeVictims } from './victims.js';
