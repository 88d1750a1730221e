// Turns a request line into what the API server authorizes and routes on (like k8s RequestInfo):
// verb, API group/version, resource type, namespace, name, subresource, and for proxies the path.

import type { ResourceType } from './resources.js';
import { typeByPlural } from './resources.js';
import { badRequest } from './status.js';

export interface ResourceRequest {
  isResource: true;
  verb: string;
  group: string;
  version: string;
  /** undefined for resources kube-sim does not serve (answered 404). */
  type: ResourceType | undefined;
  resource: string;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
  /** After `/proxy`: the decoded path to forward ('' when none). */
  proxyPath: string;
}

export interface NonResourceRequest {
  isResource: false;
  verb: string;
  /** Decoded path segments. */
  segments: string[];
}

export type RequestInfo = ResourceRequest | NonResourceRequest;

function decodeSegments(rawPath: string): string[] {
  try {
    return rawPath.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    throw badRequest(`invalid URL path: ${rawPath}`);
  }
}

const METHOD_VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete', GET: 'get', HEAD: 'get' };

export function requestInfo(method: string, rawPath: string, query: URLSearchParams): RequestInfo {
  const segments = decodeSegments(rawPath);
  const nonResource = (): NonResourceRequest => ({ isResource: false, verb: method.toLowerCase(), segments });
  let rest: string[];
  let group: string;
  let version: string;
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1]!;
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1]!;
    version = segments[2]!;
    rest = segments.slice(3);
  } else {
    return nonResource();
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !['status', 'finalize'].includes(rest[2]!)) {
    namespace = rest[1];
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length >= 2) {
    namespace = rest[1];
  }
  const [resource = '', name, subresource, ...proxyRest] = rest;
  // The path after /proxy keeps its trailing slash, as the API server forwards it.
  const proxyPath = subresource === 'proxy' ? proxyRest.join('/') + (proxyRest.length > 0 && rawPath.endsWith('/') ? '/' : '') : '';
  const isCollection = name === undefined;
  let verb = METHOD_VERBS[method] ?? method.toLowerCase();
  if (isCollection && method === 'GET') verb = ['true', '1'].includes(query.get('watch') ?? '') ? 'watch' : 'list';
  if (isCollection && method === 'DELETE') verb = 'deletecollection';
  if (!isCollection && method === 'GET' && subresource === undefined && ['true', '1'].includes(query.get('watch') ?? '')) verb = 'watch';
  return {
    isResource: true,
    verb,
    group,
    version,
    type: typeByPlural(group, version, resource),
    resource,
    namespace: resource === 'namespaces' ? undefined : namespace,
    name,
    subresource,
    proxyPath,
  };
}
