export { createProbePool } from './pool.js';
export { POOL_DEFAULTS, type ProbePoolOptions } from './options.js';
