// The ports: what ops/ needs from the world, one file per concern. Adapters (kube/, static-fleet/,
// gateway/, sticky-sampler/, probe/) implement these and import only these types (and ../errors.ts);
// ops/ never imports an adapter. A new port goes in a new file here, re-exported below.

export type * from './fleet.js';
export type * from './gateway-admin.js';
export type * from './clock.js';
export type * from './sticky-sampler.js';
export type * from './workloads.js';
export type * from './probe.js';
export type * from './rollout.js';
export type * from './command.js';
