export { runProbe, type ProbeDeps } from './probe.js';
export { rampTimeoutMs, type ProbeBound, type ProbeRunOptions, type ProbeThresholds } from './options.js';
export type { ProbeReport, ProbeOutcome, RolloutSummary, CommandSummary } from './report.js';
export type { ProbePhase, ProbeProgress } from './events.js';
export { RESTARTED_AT_ANNOTATION, rolloutComplete, restartedAtValue } from './rollout.js';
export { summarizeLatencies } from './percentiles.js';
