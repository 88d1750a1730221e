// Live names for completion, from wherever the typed line points: a --fleet file, an --instances
// list, or the cluster of the kubeconfig/context/namespace typed (else the environment's).
// Completion must never hang a shell or print noise: the API calls have a short deadline and any
// failure is simply "no names". The adapters load the Kubernetes client only when asked.

import type { Factory } from '../factory.js';
import { parseDuration } from '../../util/duration.js';
import type { LiveNames, NameScope } from './complete.js';
import type { LiveKind } from './value-kinds.js';

/** The API calls' deadline, unless the line says --request-timeout. */
const DEFAULT_DEADLINE_MS = 1_000;

export function liveNames(f: Factory): LiveNames {
  return async (kind, scope) => {
    try {
      if (scope.fleet || scope.instances) return await staticFleetNames(f, kind, scope);
      return await kubeNames(f, kind, scope);
    } catch {
      return [];
    }
  };
}

async function staticFleetNames(f: Factory, kind: LiveKind, scope: NameScope): Promise<string[]> {
  if (kind !== 'targets' && kind !== 'pods') return [];
  const fleet = await f.adapters.staticFleet(scope.fleet ? { file: scope.fleet } : { urls: scope.instances!.split(',') });
  return (await fleet.resolve({ kind: 'all' })).map((instance) => instance.name);
}

async function kubeNames(f: Factory, kind: LiveKind, scope: NameScope): Promise<string[]> {
  // The deadline starts once the client is loaded: loading it is not a network wait.
  const deadlineMs = deadlineOf(scope);
  const config = { kubeconfig: scope.kubeconfig, context: scope.context, namespace: scope.namespace, env: f.env };
  const list = (what: 'pods' | 'statefulsets' | 'namespaces' | 'contexts') => f.adapters.kubeNames(what, config, deadlineMs, f.signal);
  const statefulSets = async () => (await list('statefulsets')).map((name) => `sts/${name}`);
  if (kind === 'statefulsets') return await statefulSets();
  if (kind !== 'targets') return await list(kind);
  const [pods, workloads] = await Promise.all([list('pods'), statefulSets()]);
  return [...pods, ...workloads];
}

function deadlineOf(scope: NameScope): number {
  try {
    return scope.requestTimeout ? parseDuration(scope.requestTimeout) : DEFAULT_DEADLINE_MS;
  } catch {
    return DEFAULT_DEADLINE_MS;
  }
}
