// The resource types kube-sim serves. Discovery, routing, the store and error messages all read
// this one table, so adding a type here is the whole job for a plain stored resource.

export interface ResourceType {
  kind: string;
  plural: string;
  singular: string;
  /** '' for the core group. */
  group: string;
  version: string;
  namespaced: boolean;
  shortNames: string[];
  /** Subresources served as `<plural>/<name>` (e.g. 'status', 'scale'). */
  subresources: string[];
  /** Bump metadata.generation when spec changes. */
  tracksGeneration: boolean;
}

const rw = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCE_TYPES: readonly ResourceType[] = [
  { kind: 'Namespace', plural: 'namespaces', singular: 'namespace', group: '', version: 'v1', namespaced: false, shortNames: ['ns'], subresources: ['status'], tracksGeneration: false },
  { kind: 'Pod', plural: 'pods', singular: 'pod', group: '', version: 'v1', namespaced: true, shortNames: ['po'], subresources: ['status', 'eviction', 'proxy'], tracksGeneration: false },
  { kind: 'Service', plural: 'services', singular: 'service', group: '', version: 'v1', namespaced: true, shortNames: ['svc'], subresources: ['status', 'proxy'], tracksGeneration: false },
  { kind: 'Event', plural: 'events', singular: 'event', group: '', version: 'v1', namespaced: true, shortNames: ['ev'], subresources: [], tracksGeneration: false },
  { kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', group: '', version: 'v1', namespaced: true, shortNames: ['ep'], subresources: [], tracksGeneration: false },
  { kind: 'StatefulSet', plural: 'statefulsets', singular: 'statefulset', group: 'apps', version: 'v1', namespaced: true, shortNames: ['sts'], subresources: ['status', 'scale'], tracksGeneration: true },
  { kind: 'Deployment', plural: 'deployments', singular: 'deployment', group: 'apps', version: 'v1', namespaced: true, shortNames: ['deploy'], subresources: ['status', 'scale'], tracksGeneration: true },
  { kind: 'ControllerRevision', plural: 'controllerrevisions', singular: 'controllerrevision', group: 'apps', version: 'v1', namespaced: true, shortNames: [], subresources: [], tracksGeneration: false },
  { kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset', group: 'apps', version: 'v1', namespaced: true, shortNames: ['rs'], subresources: ['status', 'scale'], tracksGeneration: true },
  { kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', singular: 'poddisruptionbudget', group: 'policy', version: 'v1', namespaced: true, shortNames: ['pdb'], subresources: ['status'], tracksGeneration: true },
  { kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler', group: 'autoscaling', version: 'v2', namespaced: true, shortNames: ['hpa'], subresources: ['status'], tracksGeneration: true },
  { kind: 'Lease', plural: 'leases', singular: 'lease', group: 'coordination.k8s.io', version: 'v1', namespaced: true, shortNames: [], subresources: [], tracksGeneration: false },
  { kind: 'EndpointSlice', plural: 'endpointslices', singular: 'endpointslice', group: 'discovery.k8s.io', version: 'v1', namespaced: true, shortNames: [], subresources: [], tracksGeneration: false },
];

export const RESOURCE_VERBS = rw;

/** Group/versions served, in discovery order; authorization.k8s.io has only SelfSubjectAccessReview. */
export const GROUP_VERSIONS: readonly { group: string; version: string }[] = [
  { group: 'apps', version: 'v1' },
  { group: 'autoscaling', version: 'v2' },
  { group: 'policy', version: 'v1' },
  { group: 'coordination.k8s.io', version: 'v1' },
  { group: 'discovery.k8s.io', version: 'v1' },
  { group: 'authorization.k8s.io', version: 'v1' },
];

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

export function typeByKind(kind: string): ResourceType {
  const type = RESOURCE_TYPES.find((t) => t.kind === kind);
  if (!type) throw new Error(`kube-sim does not know kind ${kind}`);
  return type;
}

export function typeByPlural(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => t.group === group && t.version === version && t.plural === plural);
}

/** "statefulsets.apps" / "pods": how the API server names a resource in error messages. */
export function qualifiedResource(type: Pick<ResourceType, 'plural' | 'group'>): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}
