// `drain POD… --then none|evict|delete` on Kubernetes. See drain.ts.
export { drainPods, type KubeDrainOptions } from './drain.js';
export type { KubeDrainEvent, KubeDrainEventHandler } from './events.js';
export type { KubeDrainOutcome, KubeDrainResult, PodRemoval, PodRemovalReport } from './result.js';
export { defaultKubeDrainSettings, MIN_EVICTION_RETRY_MS, type KubeDrainSettings, type ThenAction } from './settings.js';
