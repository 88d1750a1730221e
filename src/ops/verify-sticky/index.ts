export { verifySticky, type VerifyStickyOptions, type VerifyStickyEvent } from './verify-sticky.js';
export { analyze, summarizeClient, type AnalysisInput } from './analyze.js';
export { KNOWN_AFFINITY_COOKIES } from './affinity.js';
export type * from './report.js';
