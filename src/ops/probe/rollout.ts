// The rollout rules, pure: when a StatefulSet's rolling update is complete, what the restart
// annotation holds.
import type { RolloutState } from '../ports/index.js';

export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/** kubectl writes time.Now().Format(time.RFC3339): whole seconds, with the zone. */
export function restartedAtValue(wallNowMs: number): string {
  return new Date(wallNowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Complete as `kubectl rollout status` judges a StatefulSet, and stricter: the controller has seen
 * the latest spec (and at least `generation`), every replica is updated and Ready, the current
 * revision is the update revision, and no pod of another revision or terminating remains.
 */
export function rolloutComplete(state: RolloutState, generation = state.generation): boolean {
  if (state.observedGeneration < Math.max(generation, state.generation) || state.observedGeneration === 0) return false;
  if (!state.updateRevision || state.currentRevision !== state.updateRevision) return false;
  if (state.updatedReplicas < state.replicas || state.readyReplicas < state.replicas) return false;
  const pods = state.pods.filter((p) => !p.terminating);
  return (
    pods.length === state.replicas &&
    state.pods.every((p) => !p.terminating) &&
    pods.every((p) => p.ready && p.revision === state.updateRevision)
  );
}

/** The pods of the update revision: where every connection belongs once the rollout is done. */
export function newRevisionPods(state: RolloutState): string[] {
  return state.pods.filter((p) => p.revision !== undefined && p.revision === state.updateRevision && !p.terminating).map((p) => p.name);
}

/** A one-line account of where the rollout stands, for progress and timeouts. */
export function describeRollout(state: RolloutState): string {
  const updated = state.pods.filter((p) => p.revision === state.updateRevision && !p.terminating).length;
  return `${updated}/${state.replicas} pods on revision ${state.updateRevision ?? '?'}, ${state.readyReplicas} ready`;
}
