// The part of the Kubernetes API the adapter calls, typed with client-node's models (types only:
// nothing of the generated API is loaded) and sent as plain REST. Method names and parameters
// follow client-node's generated APIs so each call reads as it does in their docs. Answers are
// the API server's JSON as is: timestamps are RFC 3339 strings, not Date objects.

import type {
  AppsV1Api,
  AuthorizationV1Api,
  AutoscalingV2Api,
  CoordinationV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  PolicyV1Api,
} from '@kubernetes/client-node';
import type { KubeRest, RestRequest } from './rest.js';

/** Per call: the deadline/abort signal, and for a patch its strategy. */
export interface RequestOptions {
  signal: AbortSignal;
  contentType?: string;
}

export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

interface Named {
  name: string;
  namespace: string;
}
interface InNamespace {
  namespace: string;
  labelSelector?: string;
}

/** Only the methods used, with client-node's parameter objects. */
type Subset<Api, Methods extends keyof Api> = { [M in Methods]: (param: Parameters<Extract<Api[M], (...a: never[]) => unknown>>[0], options: RequestOptions) => Promise<Answer<Api[M]>> };
type Answer<Method> = Method extends (...a: never[]) => Promise<infer T> ? T : never;

export interface KubeApis {
  core: Subset<CoreV1Api, 'listNamespace' | 'readNamespacedPod' | 'listNamespacedPod' | 'createNamespacedPodEviction' | 'deleteNamespacedPod'>;
  apps: Subset<
    AppsV1Api,
    | 'readNamespacedStatefulSet'
    | 'listNamespacedStatefulSet'
    | 'patchNamespacedStatefulSet'
    | 'readNamespacedStatefulSetScale'
    | 'patchNamespacedStatefulSetScale'
    | 'readNamespacedDeployment'
    | 'listNamespacedReplicaSet'
  >;
  policy: Subset<PolicyV1Api, 'listNamespacedPodDisruptionBudget'>;
  autoscaling: Subset<AutoscalingV2Api, 'listNamespacedHorizontalPodAutoscaler'>;
  coordination: Subset<CoordinationV1Api, 'readNamespacedLease' | 'createNamespacedLease' | 'replaceNamespacedLease'>;
  discovery: Subset<DiscoveryV1Api, 'listNamespacedEndpointSlice'>;
  authorization: Subset<AuthorizationV1Api, 'createSelfSubjectAccessReview'>;
}

const seg = encodeURIComponent;
const ns = (group: string, namespace: string) => `${group}/namespaces/${seg(namespace)}`;
const CORE = '/api/v1';
const APPS = '/apis/apps/v1';

export function makeApis(rest: KubeRest): KubeApis {
  const call = <T>(request: Omit<RestRequest, 'signal'>, options: RequestOptions) =>
    rest.request<T>({ ...request, signal: options.signal, ...(options.contentType ? { contentType: options.contentType } : {}) });
  const get = <T>(path: string, options: RequestOptions, query?: RestRequest['query']) => call<T>({ method: 'GET', path, ...(query ? { query } : {}) }, options);
  const list = <T>({ labelSelector }: InNamespace, path: string, options: RequestOptions) => get<T>(path, options, { labelSelector });
  const one = (group: string, resource: string, { name, namespace }: Named) => `${ns(group, namespace)}/${resource}/${seg(name)}`;

  return {
    core: {
      listNamespace: (_p, o) => get(`${CORE}/namespaces`, o),
      readNamespacedPod: (p, o) => get(one(CORE, 'pods', p), o),
      listNamespacedPod: (p, o) => list(p, `${ns(CORE, p.namespace)}/pods`, o),
      createNamespacedPodEviction: (p, o) => call({ method: 'POST', path: `${one(CORE, 'pods', p)}/eviction`, body: p.body }, o),
      deleteNamespacedPod: (p, o) => call({ method: 'DELETE', path: one(CORE, 'pods', p), body: p.body }, o),
    },
    apps: {
      readNamespacedStatefulSet: (p, o) => get(one(APPS, 'statefulsets', p), o),
      listNamespacedStatefulSet: (p, o) => list(p, `${ns(APPS, p.namespace)}/statefulsets`, o),
      patchNamespacedStatefulSet: (p, o) =>
        call({ method: 'PATCH', path: one(APPS, 'statefulsets', p), query: { fieldManager: p.fieldManager }, body: p.body }, o),
      readNamespacedStatefulSetScale: (p, o) => get(`${one(APPS, 'statefulsets', p)}/scale`, o),
      patchNamespacedStatefulSetScale: (p, o) =>
        call({ method: 'PATCH', path: `${one(APPS, 'statefulsets', p)}/scale`, query: { fieldManager: p.fieldManager }, body: p.body }, o),
      readNamespacedDeployment: (p, o) => get(one(APPS, 'deployments', p), o),
      listNamespacedReplicaSet: (p, o) => list(p, `${ns(APPS, p.namespace)}/replicasets`, o),
    },
    policy: {
      listNamespacedPodDisruptionBudget: (p, o) => list(p, `${ns('/apis/policy/v1', p.namespace)}/poddisruptionbudgets`, o),
    },
    autoscaling: {
      listNamespacedHorizontalPodAutoscaler: (p, o) =>
        list(p, `${ns('/apis/autoscaling/v2', p.namespace)}/horizontalpodautoscalers`, o),
    },
    coordination: {
      readNamespacedLease: (p, o) => get(one('/apis/coordination.k8s.io/v1', 'leases', p), o),
      createNamespacedLease: (p, o) => call({ method: 'POST', path: `${ns('/apis/coordination.k8s.io/v1', p.namespace)}/leases`, body: p.body }, o),
      replaceNamespacedLease: (p, o) => call({ method: 'PUT', path: one('/apis/coordination.k8s.io/v1', 'leases', p), body: p.body }, o),
    },
    discovery: {
      listNamespacedEndpointSlice: (p, o) => list(p, `${ns('/apis/discovery.k8s.io/v1', p.namespace)}/endpointslices`, o),
    },
    authorization: {
      createSelfSubjectAccessReview: (p, o) =>
        call({ method: 'POST', path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', body: p.body }, o),
    },
  };
}
