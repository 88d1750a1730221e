// Everything one gateway instance knows, shared by its public and admin routes.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { adminTokenChecker } from './auth.js';
import { ConnectionRegistry } from './connections.js';
import { noFaults, type FaultPatch, type FaultSettings } from './faults.js';
import type { MetricsSnapshot } from './metrics.js';
import { Migrator } from './migrate.js';

export interface InstanceSettings {
  name: string;
  tickMs: number;
  maxConnections: number;
  closeTimeoutMs: number;
  adminToken: string | undefined;
  enableFaults: boolean;
  faults: FaultPatch;
}

export class InstanceState {
  readonly name: string;
  /** New for every start of the process: a client that sees it change knows the gateway restarted. */
  readonly bootId = randomUUID();
  readonly maxConnections: number;
  readonly connections: ConnectionRegistry;
  readonly migrator: Migrator;
  readonly faultsEnabled: boolean;
  readonly isAdmin: (headers: IncomingHttpHeaders) => boolean;
  faults: FaultSettings;
  draining = false;
  shuttingDown = false;

  constructor(settings: InstanceSettings) {
    this.name = settings.name;
    this.maxConnections = settings.maxConnections;
    this.connections = new ConnectionRegistry({
      instance: settings.name,
      tickMs: settings.tickMs,
      closeTimeoutMs: settings.closeTimeoutMs,
      skipTick: () => this.faults.ticks === 'skip',
    });
    this.migrator = new Migrator(this.connections);
    this.faultsEnabled = settings.enableFaults;
    this.faults = { ...noFaults(), ...(settings.enableFaults ? settings.faults : {}) };
    this.isAdmin = adminTokenChecker(settings.adminToken);
  }

  /** Why a new WebSocket would be refused right now, or undefined when it is welcome. */
  refusalReason(): string | undefined {
    if (this.draining) return 'draining';
    if (this.maxConnections > 0 && this.connections.active >= this.maxConnections) return 'at max connections';
    return undefined;
  }

  metricsSnapshot(): MetricsSnapshot {
    return {
      instance: this.name,
      bootId: this.bootId,
      draining: this.draining,
      active: this.connections.active,
      total: this.connections.total,
      migrated: this.connections.migrated,
    };
  }
}
