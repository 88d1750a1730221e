// Removing a pod: the Eviction API (which honours PodDisruptionBudgets), and a DELETE that can only
// hit the exact pod we mean (uid precondition), because a StatefulSet re-creates the same name.

import { RefusedError } from '../ops/errors.js';
import type { EvictionResult, Instance } from '../ops/ports/index.js';
import type { KubeClient } from './client.js';
import { classifyFailure, type ApiFailure } from './errors.js';

/** `The disruption budget conduit-pdb needs 2 healthy pods and has 2 currently` → `conduit-pdb`. */
const PDB_NAME = /disruption budget ([a-z0-9]([-a-z0-9.]*[a-z0-9])?)/i;
const DEFAULT_THROTTLE_MS = 1_000;

function tooManyRequests(failure: ApiFailure): EvictionResult {
  const budget = failure.causes.find((c) => c.reason === 'DisruptionBudget');
  if (budget) {
    const message = budget.message ?? failure.message;
    const pdb = PDB_NAME.exec(message)?.[1] ?? PDB_NAME.exec(failure.message)?.[1];
    return {
      kind: 'blocked-by-pdb',
      message,
      ...(pdb ? { pdb } : {}),
      ...(failure.retryAfterSecondsMs !== undefined ? { retryAfterMs: failure.retryAfterSecondsMs } : {}),
    };
  }
  return {
    kind: 'throttled',
    retryAfterMs: failure.retryAfterSecondsMs ?? failure.retryAfterHeaderMs ?? DEFAULT_THROTTLE_MS,
    message: failure.message,
  };
}

export async function evict(client: KubeClient, instance: Instance, signal?: AbortSignal): Promise<EvictionResult> {
  const { name } = instance;
  const op = client.op('create', 'pods/eviction', name);
  const outcome = await client.attempt(
    op,
    (apis, options) =>
      apis.core.createNamespacedPodEviction(
        {
          name,
          namespace: client.namespace,
          body: {
            apiVersion: 'policy/v1',
            kind: 'Eviction',
            metadata: { name, namespace: client.namespace },
            ...(instance.uid ? { deleteOptions: { preconditions: { uid: instance.uid } } } : {}),
          },
        },
        options.plain,
      ),
    signal,
  );
  if (outcome.ok) return { kind: 'evicted' };
  const { failure } = outcome;
  if (failure.status === 404) return { kind: 'gone' };
  // A uid precondition failure: the pod of that name is a new one, ours is gone.
  if (failure.status === 409 && instance.uid) return { kind: 'gone' };
  if (failure.status === 429) return tooManyRequests(failure);
  if (failure.status === 500) {
    throw new RefusedError(
      `eviction of pod "${name}" in namespace "${client.namespace}" failed: ${failure.message}`,
      'the API server cannot evict this pod (for example two PodDisruptionBudgets select it); fix the budgets, nothing was deleted',
    );
  }
  throw classifyFailure(failure, op);
}

export async function deletePod(client: KubeClient, instance: Instance, signal?: AbortSignal): Promise<'deleted' | 'gone'> {
  if (!instance.uid) {
    throw new RefusedError(`refusing to delete pod "${instance.name}": its uid is unknown, so a re-created pod of the same name could be hit`);
  }
  const op = client.op('delete', 'pods', instance.name);
  const outcome = await client.attempt(
    op,
    (apis, options) =>
      apis.core.deleteNamespacedPod(
        { name: instance.name, namespace: client.namespace, body: { preconditions: { uid: instance.uid } } },
        options.plain,
      ),
    signal,
  );
  if (outcome.ok) return 'deleted';
  if (outcome.failure.status === 404 || outcome.failure.status === 409) return 'gone';
  throw classifyFailure(outcome.failure, op);
}
