// Permissions, from one source: the checks each operation's preflight asks the API server about
// (SelfSubjectAccessReview), and the least-privilege Role that grants exactly those (docs/rbac.md).

import type { AccessCheck } from '../ops/ports/index.js';
import type { KubeClient } from './client.js';

/** The Lease that locks a workload against a second operator (RELIABILITY rule 7). */
export function lockLeaseName(workloadKind: 'statefulset' | 'deployment', name: string): string {
  return `conduitctl-lock-${workloadKind === 'statefulset' ? 'sts' : 'deploy'}-${name}`;
}

export type KubeOperationName =
  /** status, resolve, verify targets: reads plus the admin API's GETs through pods/proxy. */
  | 'read'
  /** drain / migrate / rebalance: the admin API's POSTs, PDBs, and the workload lock. */
  | 'drain'
  /** drain --then evict. */
  | 'evict'
  /** drain --then delete: not in the least-privilege Role; granted separately when wanted. */
  | 'delete'
  /** scale sts/NAME: the scale subresource, HPAs, and the workload lock. */
  | 'scale';

const read = (group: string, resource: string, verbs = ['get', 'list']): AccessCheck[] => verbs.map((verb) => ({ verb, group, resource }));

function lockChecks(statefulSet: string): AccessCheck[] {
  const name = lockLeaseName('statefulset', statefulSet);
  return [
    { verb: 'get', group: 'coordination.k8s.io', resource: 'leases', name },
    { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', name },
    { verb: 'create', group: 'coordination.k8s.io', resource: 'leases' },
  ];
}

/** What `operation` on StatefulSet `statefulSet` needs; the preflight asks for every one of these. */
export function accessChecksFor(operation: KubeOperationName, statefulSet: string): AccessCheck[] {
  const reads: AccessCheck[] = [
    ...read('', 'pods'),
    ...read('apps', 'statefulsets'),
    ...read('discovery.k8s.io', 'endpointslices'),
    { verb: 'get', group: '', resource: 'pods', subresource: 'proxy' },
  ];
  const admin: AccessCheck[] = [
    ...reads,
    { verb: 'create', group: '', resource: 'pods', subresource: 'proxy' },
    ...read('policy', 'poddisruptionbudgets'),
    ...lockChecks(statefulSet),
  ];
  switch (operation) {
    case 'read':
      return reads;
    case 'drain':
      return admin;
    case 'evict':
      return [...admin, { verb: 'create', group: '', resource: 'pods', subresource: 'eviction' }];
    case 'delete':
      return [...admin, { verb: 'delete', group: '', resource: 'pods' }];
    case 'scale':
      return [
        ...admin,
        ...read('autoscaling', 'horizontalpodautoscalers'),
        { verb: 'get', group: 'apps', resource: 'statefulsets', subresource: 'scale', name: statefulSet },
        { verb: 'patch', group: 'apps', resource: 'statefulsets', subresource: 'scale', name: statefulSet },
      ];
  }
}

/** One rule of an RBAC Role, as written in YAML. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/**
 * The least-privilege Role (RELIABILITY.md) for one StatefulSet. docs/rbac.md shows it for
 * `conduit`; a test checks that the doc and this function agree and that every check is granted.
 */
export function leastPrivilegeRules(statefulSet: string): PolicyRule[] {
  return [
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['pods/proxy'], verbs: ['get', 'create'] },
    { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
    { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['apps'], resources: ['statefulsets/scale'], resourceNames: [statefulSet], verbs: ['get', 'patch'] },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'list'] },
    { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['get', 'list'] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [lockLeaseName('statefulset', statefulSet)], verbs: ['get', 'update', 'patch'] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  ];
}

/** RBAC's own matching, without wildcards (the Role has none). */
export function rulesAllow(rules: PolicyRule[], check: AccessCheck): boolean {
  const resource = check.subresource ? `${check.resource}/${check.subresource}` : check.resource;
  return rules.some(
    (rule) =>
      rule.apiGroups.includes(check.group) &&
      rule.resources.includes(resource) &&
      rule.verbs.includes(check.verb) &&
      (rule.resourceNames === undefined || (check.name !== undefined && rule.resourceNames.includes(check.name))),
  );
}

/** SelfSubjectAccessReview for every check, in parallel; returns the ones not allowed. */
export async function denied(client: KubeClient, checks: AccessCheck[], signal?: AbortSignal): Promise<AccessCheck[]> {
  const answers = await Promise.all(
    checks.map((check) =>
      client.call(
        { verb: 'create', resource: 'selfsubjectaccessreviews.authorization.k8s.io' },
        (apis, options) =>
          apis.authorization.createSelfSubjectAccessReview(
            {
              body: {
                apiVersion: 'authorization.k8s.io/v1',
                kind: 'SelfSubjectAccessReview',
                spec: {
                  resourceAttributes: {
                    namespace: client.namespace,
                    verb: check.verb,
                    group: check.group,
                    resource: check.resource,
                    ...(check.subresource ? { subresource: check.subresource } : {}),
                    ...(check.name ? { name: check.name } : {}),
                  },
                },
              },
            },
            options.plain,
          ),
        signal,
      ),
    ),
  );
  return checks.filter((_, i) => answers[i]?.status?.allowed !== true);
}
