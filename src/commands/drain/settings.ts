import type { DrainSettings } from '../../ops/drain/index.js';
import type { DrainCommandOptions } from './index.js';

/** The drain flags as the ops' settings (both the file-fleet and the Kubernetes route). */
export function drainSettingsOf(options: DrainCommandOptions): DrainSettings {
  return {
    timeoutMs: options.timeoutMs,
    pollIntervalMs: options.pollIntervalMs,
    minDrainMs: options.minDrainMs,
    stableZeroPolls: options.stableZeroPolls,
    confirmTimeoutMs: options.confirmTimeoutMs,
    keepDraining: options.keepDraining,
  };
}
