// Every "wait until" of ops/ (victims gone, new pods Ready, an evicted pod gone) is this loop.
export { pollUntilDeadline, type PollOptions, type PollResult } from './poll-until.js';
