import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

/** Structurally the ops/ Clock port; util/ imports nothing from the rest of src/. */
export interface SystemClock {
  now(): number;
  wallNow(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Monotonic for deadlines (performance.now), wall clock only for display. */
export const systemClock: SystemClock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  sleep: async (ms, signal) => {
    await delay(Math.max(0, ms), undefined, { signal });
  },
};
