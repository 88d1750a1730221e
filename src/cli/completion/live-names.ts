// Live names for completion, from wherever the typed line points: a --fleet file, an --instances
// list, or the cluster of the kubeconfig/context/namespace typed (else the environment's).
// Completion must never hang a shell or print noise: every lookup has a short deadline and any
// failure is simply "no names". The Kubernetes client is loaded only here, only when needed.

import type { Env } from '../factory.js';
import { parseDuration } from '../../util/duration.js';
import type { LiveNames, NameScope } from './complete.js';
import type { LiveKind } from './value-kinds.js';

/** The API calls' deadline, unless the line says --request-timeout. */
const DEFAULT_DEADLINE_MS = 1_000;

export function liveNames(env: Env): LiveNames {
  return async (kind, scope) => {
    try {
      if (scope.fleet || scope.instances) return await staticFleetNames(kind, scope);
      return await kubeNames(kind, scope, env);
    } catch {
      return [];
    }
  };
}

async function staticFleetNames(kind: LiveKind, scope: NameScope): Promise<string[]> {
  if (kind !== 'targets' && kind !== 'pods') return [];
  const { loadFleetFile, fleetFromUrls } = await import('../../static-fleet/index.js');
  const fleet = scope.fleet ? await loadFleetFile(scope.fleet) : fleetFromUrls(scope.instances!.split(','));
  return (await fleet.resolve({ kind: 'all' })).map((instance) => instance.name);
}

async function kubeNames(kind: LiveKind, scope: NameScope, env: Env): Promise<string[]> {
  const { listNames } = await import('../../kube/index.js');
  const deadlineMs = deadlineOf(scope);
  const signal = AbortSignal.timeout(deadlineMs);
  const config = { kubeconfig: scope.kubeconfig, context: scope.context, namespace: scope.namespace, env };
  const statefulSets = async () => (await listNames('statefulsets', config, deadlineMs, signal)).map((name) => `sts/${name}`);
  if (kind === 'statefulsets') return await statefulSets();
  if (kind !== 'targets') return await listNames(kind, config, deadlineMs, signal);
  const [pods, workloads] = await Promise.all([listNames('pods', config, deadlineMs, signal), statefulSets()]);
  return [...pods, ...workloads];
}

function deadlineOf(scope: NameScope): number {
  try {
    return scope.requestTimeout ? parseDuration(scope.requestTimeout) : DEFAULT_DEADLINE_MS;
  } catch {
    return DEFAULT_DEADLINE_MS;
  }
}
