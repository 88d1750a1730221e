// What each operation must be allowed to do, asked before any mutation.
export { accessChecksFor, deniedMessage, describeResource, type AccessRequest, type AdminTransport } from './checks.js';
