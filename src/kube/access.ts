// Permissions on the cluster side: the least-privilege Role (docs/rbac.md) that grants what each
// operation asks for (ops/access: accessChecksFor), RBAC's matching, and the access review itself.

import type { AccessCheck } from '../ops/ports/index.js';
import { workloadLockName } from '../ops/workload-lock/index.js';
import type { KubeClient } from './client.js';

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
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [workloadLockName('statefulset', statefulSet)], verbs: ['get', 'update', 'patch'] },
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
