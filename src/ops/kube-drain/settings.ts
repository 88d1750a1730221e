import type { DrainSettings } from '../drain/index.js';

export type ThenAction = 'none' | 'evict' | 'delete';

export interface KubeDrainSettings extends DrainSettings {
  /** How long to wait for the EndpointSlice to show a draining pod not ready (then warn). */
  endpointTimeoutMs: number;
  /** Retry spacing after a PDB refusal (RELIABILITY rule 9: ≥ 5 s, plus jitter). */
  evictionRetryMs: number;
  /** Cap of the backoff after API throttling (429 with Retry-After). */
  throttleCapMs: number;
}

export const MIN_EVICTION_RETRY_MS = 5_000;

export const defaultKubeDrainSettings: Omit<KubeDrainSettings, keyof DrainSettings> = {
  endpointTimeoutMs: 30_000,
  evictionRetryMs: MIN_EVICTION_RETRY_MS,
  throttleCapMs: 30_000,
};
