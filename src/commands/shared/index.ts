// The command toolkit: what every verb's flags, run and render files share.
export { addDrainTimingOptions, drainTimingOf, type DrainTiming, type DrainTimingHelp } from './drain-timing.js';
export { failureOf, type OpOutcome } from './failure.js';
export { runOp, type OpRun } from './run-op.js';
export { countText } from './count-text.js';
export { printPlan, type PlanVerb } from './plan.js';
export { drainEventLine, drainProgressText, drainStepLine } from './drain-text.js';
export type { RunCommand } from './run-command.js';
