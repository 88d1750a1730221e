// Move the clients of one source: behind a load balancer, first wait (with a deadline) until the
// source is out of rotation, refusing otherwise; then run the executor. The verbs wire it up
// (receivers, lock, where clients go); scale --migrate and drain --migrate call it per victim.

import { RefusedError } from '../errors.js';
import type { Instance } from '../ports/index.js';
import type { MigrationEvent } from './events.js';
import { executeMigration, type MigrationOptions } from './execute.js';
import type { ReceiverSpec } from './read-receivers.js';
import type { MigrationResult } from './result.js';
import { waitOutOfRotation, type RotationCheck, type RotationState } from './rotation.js';
import { directWsUrl, type WsEndpoint } from './ws-url.js';

export type Destination =
  | { kind: 'direct'; ws: WsEndpoint }
  | { kind: 'url'; url: string; rotation: RotationCheck; rotationTimeoutMs: number; pollIntervalMs: number };

export type MigrateSourceEvent = MigrationEvent | { type: 'rotation'; source: string; state: RotationState };

export interface MigrateSourceOptions extends Omit<MigrationOptions, 'receivers' | 'sendTo' | 'onEvent'> {
  receivers: readonly Instance[];
  /** Instances leaving in the same operation: never targets. */
  leaving?: ReadonlySet<string>;
  /** Per-instance limit (flag or annotation). */
  maxConnections?: number;
  destination: Destination;
  onEvent?: (event: MigrateSourceEvent) => void;
}

export async function migrateSource(o: MigrateSourceOptions): Promise<MigrationResult> {
  const emit = (event: MigrateSourceEvent) => o.onEvent?.(event);
  const { destination } = o;
  if (destination.kind === 'url') {
    const rotation = await waitOutOfRotation({
      check: destination.rotation,
      clock: o.clock,
      timeoutMs: destination.rotationTimeoutMs,
      pollIntervalMs: destination.pollIntervalMs,
      signal: o.signal,
      onPoll: (state) => emit({ type: 'rotation', source: o.source.name, state }),
    });
    if (rotation.state !== 'out') {
      throw new RefusedError(
        `nothing moved: ${o.source.name} is not out of rotation behind ${destination.url} (${rotation.detail}); its clients would come straight back`,
        'drain it first (its /health must answer 503 so the load balancer takes it out), or send clients to pods with --to',
      );
    }
  }
  const receivers: ReceiverSpec[] = o.receivers
    .filter((r) => r.name !== o.source.name)
    .map((instance) => {
      const url = destination.kind === 'direct' ? directWsUrl(instance, destination.ws) : undefined;
      return {
        instance,
        ...(url !== undefined ? { url } : {}),
        ...(o.maxConnections !== undefined ? { maxConnections: o.maxConnections } : {}),
        ...(o.leaving?.has(instance.name) ? { leaving: true } : {}),
      };
    });
  return executeMigration({
    ...o,
    receivers,
    sendTo: destination.kind === 'direct' ? { kind: 'direct' } : { kind: 'url', url: destination.url },
    onEvent: emit,
  });
}
