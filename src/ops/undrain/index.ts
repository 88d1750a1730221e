// `undrain`: put drained gateways back into service and wait until /health says ok.
export {
  undrainInstances,
  type InstanceUndrainResult,
  type InstanceUndrainState,
  type UndrainEvent,
  type UndrainOptions,
  type UndrainOutcome,
  type UndrainResult,
  type UndrainSettings,
} from './undrain.js';
