// Programmatic API of the reference gateway, for the sandbox's pod runner, tests and benchmarks.
export { startGateway, GATEWAY_DEFAULTS } from './gateway.js';
export type { GatewayHandle, GatewayOptions, ShutdownOptions } from './gateway.js';
export { startGateways, consecutiveIPv4, FLEET_DEFAULTS } from './fleet.js';
export type { FleetOptions } from './fleet.js';
export { parseFaultPatch, FaultSpecError } from './faults.js';
export type { FaultPatch, FaultSettings, MetricsFault, ResponseFault } from './faults.js';
export { parseGatewayArgs, UsageError, USAGE } from './options.js';
export type { GatewayCommand } from './options.js';
export { SUBSCRIBE_PATH } from './public-routes.js';
