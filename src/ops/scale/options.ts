import type { AdminTransport } from '../access/index.js';
import type { Clock, Fleet, GatewayAdmin, StatefulSetInfo, Workloads } from '../ports/index.js';
import type { ScaleEventHandler } from './events.js';
import type { ScaleSettings } from './settings.js';

export interface ScaleOptions {
  workloads: Workloads;
  /** The Kubernetes fleet: re-reads pods (uid, restarts) during the drain and the wait. */
  fleet: Fleet;
  gateway: GatewayAdmin;
  clock: Clock;
  signal: AbortSignal;
  onEvent?: ScaleEventHandler;

  /** StatefulSet name. */
  name: string;
  /** The StatefulSet as the command already read it (read once per command); read here when absent. */
  statefulSet?: StatefulSetInfo;
  replicas: number;
  /** Plan only: no lease, no drain, no write. */
  dryRun: boolean;
  allowHpa: boolean;
  allowZero: boolean;
  /** On interrupt, leave the victims draining. */
  keepDraining: boolean;
  /** Pods the operator expects to be removed; refused unless they are the highest ordinals. */
  remove?: string[];
  /** Connections one pod can hold (default: the conduit.dev/max-connections annotation). */
  capacityPerPod?: number;
  /** How the admin API is reached: pods/proxy needs its own access, checked with the rest before any mutation. */
  adminTransport?: AdminTransport;
  /** Lease holder identity, e.g. `conduitctl@host/1234`. */
  holder: string;
  settings: ScaleSettings;
}
