// One read of every receiver: its pod state (when a fleet can re-read it), health and count, in
// parallel. Gone pods and failed reads become exclusions in chooseReceivers, never room.

import type { Fleet, GatewayAdmin, Instance } from '../ports/index.js';
import type { ReceiverCandidate } from './receivers.js';

export interface ReceiverSpec {
  instance: Instance;
  /** Direct WebSocket URL clients are told to use (--to). */
  url?: string;
  maxConnections?: number;
  /** Leaving in the same operation (a victim of the same scale-down): never a target. */
  leaving?: boolean;
}

export async function readCandidates(specs: readonly ReceiverSpec[], gateway: GatewayAdmin, fleet: Fleet | undefined, signal?: AbortSignal): Promise<ReceiverCandidate[]> {
  return Promise.all(
    specs.map(async (spec): Promise<ReceiverCandidate> => {
      const instance = fleet ? await fleet.get(spec.instance.name, signal) : spec.instance;
      const base = {
        name: spec.instance.name,
        ...(spec.url !== undefined ? { url: spec.url } : {}),
        ...(spec.maxConnections !== undefined ? { maxConnections: spec.maxConnections } : {}),
        ...(spec.leaving ? { leaving: true } : {}),
      };
      if (!instance || (spec.instance.uid !== undefined && instance.uid !== spec.instance.uid)) {
        return { ...base, terminating: true, health: 'unknown', connections: { known: false, reason: 'gone or replaced' } };
      }
      const [health, connections] = await Promise.all([gateway.health(instance, signal), gateway.connections(instance, signal)]);
      return {
        ...base,
        ...(instance.ready !== undefined ? { ready: instance.ready } : {}),
        ...(instance.deletionTimestamp ? { terminating: true } : {}),
        health: health.status,
        connections,
      };
    }),
  );
}
