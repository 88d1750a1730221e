// Discovery documents: /version, /api, /apis, and one APIResourceList per group/version, all
// derived from resources.ts. Plain (unaggregated) discovery; kubectl falls back to it.

import { GROUP_VERSIONS, RESOURCE_TYPES, RESOURCE_VERBS, type ResourceType } from './resources.js';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4-kube-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T00:00:00Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  group?: string;
  version?: string;
}

const STATUS_VERBS = ['get', 'patch', 'update'];
const PROXY_VERBS = ['create', 'delete', 'get', 'patch', 'update'];

function subresourceEntry(type: ResourceType, sub: string): ApiResource {
  const base = { name: `${type.plural}/${sub}`, singularName: '', namespaced: type.namespaced };
  switch (sub) {
    case 'scale':
      return { ...base, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: STATUS_VERBS };
    case 'eviction':
      return { ...base, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
    case 'proxy':
      return { ...base, kind: `${type.kind}ProxyOptions`, verbs: PROXY_VERBS };
    default:
      return { ...base, kind: type.kind, verbs: STATUS_VERBS };
  }
}

function resourcesOf(group: string, version: string): ApiResource[] {
  const resources: ApiResource[] = [];
  for (const type of RESOURCE_TYPES.filter((t) => t.group === group && t.version === version)) {
    resources.push({
      name: type.plural,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: RESOURCE_VERBS,
      ...(type.shortNames.length ? { shortNames: type.shortNames } : {}),
    });
    for (const sub of type.subresources) resources.push(subresourceEntry(type, sub));
  }
  if (group === 'authorization.k8s.io') {
    resources.push({ name: 'selfsubjectaccessreviews', singularName: 'selfsubjectaccessreview', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create'] });
  }
  return resources.sort((a, b) => a.name.localeCompare(b.name));
}

/** The APIResourceList for a group/version, or undefined when kube-sim does not serve it. */
export function resourceList(group: string, version: string): object | undefined {
  const served = group === '' ? version === 'v1' : GROUP_VERSIONS.some((g) => g.group === group && g.version === version);
  if (!served) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources: resourcesOf(group, version) };
}

export function coreVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(group: string): object | undefined {
  const versions = GROUP_VERSIONS.filter((g) => g.group === group).map((g) => ({ groupVersion: `${g.group}/${g.version}`, version: g.version }));
  if (versions.length === 0) return undefined;
  return { name: group, versions, preferredVersion: versions[0] };
}

export function groupList(): object {
  const names = [...new Set(GROUP_VERSIONS.map((g) => g.group))];
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: names.map((n) => apiGroup(n)) };
}

export function groupDocument(group: string): object | undefined {
  const doc = apiGroup(group);
  return doc ? { kind: 'APIGroup', apiVersion: 'v1', ...doc } : undefined;
}
