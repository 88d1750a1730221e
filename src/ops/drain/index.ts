// `drain`: the gateway drain of plain instances (drain.ts). Other ops (scale, kube-drain) use it
// through this file only.
export { drainInstances, type DrainOptions } from './drain.js';
export type { DrainEvent, DrainEventHandler } from './events.js';
export type { DrainOutcome, DrainResult, InstanceDrainResult, InstanceDrainState } from './result.js';
export { defaultDrainSettings, type DrainSettings } from './settings.js';
export { undrainAfter, type UndrainAfterDeps } from './undrain.js';
