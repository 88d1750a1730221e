// The Fleet port for fleets that are not on Kubernetes (VMs, pm2 hosts): a YAML list of instances.

export { loadFleetFile, fleetFromUrls } from './fleet-file.js';
export { StaticFleet } from './static-fleet.js';
export type { EntryOptions as StaticFleetOptions } from './entries.js';
