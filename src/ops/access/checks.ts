// The one list of what each operation asks the API server before it changes anything
// (SelfSubjectAccessReview, RELIABILITY K18). kube/access.ts holds the least-privilege Role that
// grants them; test/kube/rbac.test.ts checks the two agree.

import type { AccessCheck } from '../ports/index.js';
import { workloadLockName } from '../workload-lock/index.js';

/** How the gateways' admin API is reached: directly (pod IPs) or through the API server's pods/proxy. */
export type AdminTransport = 'direct' | 'pods-proxy';

export type AccessRequest =
  /** status, resolve, verify targets: reads (not preflighted; the Role must grant them). */
  | { operation: 'read'; transport?: AdminTransport }
  /** drain POD… on Kubernetes, with what happens to the drained pod. */
  | { operation: 'drain'; then: 'none' | 'evict' | 'delete'; transport?: AdminTransport }
  /** scale sts/NAME: reads always; the write and the lock only when something changes. */
  | { operation: 'scale'; statefulSet: string; direction: 'up' | 'down' | 'none'; transport?: AdminTransport }
  /** probe --rollout sts/NAME: watch the StatefulSet and its pods; --restart patches its pod template. */
  | { operation: 'rollout'; statefulSet: string; restart: boolean; transport?: undefined };

export function accessChecksFor(request: AccessRequest): AccessCheck[] {
  return [...operationChecks(request), ...transportChecks(request)];
}

function operationChecks(request: AccessRequest): AccessCheck[] {
  switch (request.operation) {
    case 'read':
      return [
        { verb: 'get', group: '', resource: 'pods' },
        { verb: 'list', group: '', resource: 'pods' },
        { verb: 'get', group: 'apps', resource: 'statefulsets' },
        { verb: 'list', group: 'apps', resource: 'statefulsets' },
        { verb: 'get', group: 'discovery.k8s.io', resource: 'endpointslices' },
        { verb: 'list', group: 'discovery.k8s.io', resource: 'endpointslices' },
      ];
    case 'drain': {
      const checks: AccessCheck[] = [
        { verb: 'get', group: '', resource: 'pods' },
        { verb: 'list', group: 'discovery.k8s.io', resource: 'endpointslices' },
      ];
      if (request.then === 'evict') checks.push({ verb: 'create', group: '', resource: 'pods', subresource: 'eviction' });
      if (request.then === 'delete') checks.push({ verb: 'delete', group: '', resource: 'pods' });
      return checks;
    }
    case 'scale':
      return scaleChecks(request.statefulSet, request.direction);
    case 'rollout': {
      const reads: AccessCheck[] = [
        { verb: 'get', group: 'apps', resource: 'statefulsets', name: request.statefulSet },
        { verb: 'list', group: '', resource: 'pods' },
      ];
      return request.restart ? [...reads, { verb: 'patch', group: 'apps', resource: 'statefulsets', name: request.statefulSet }] : reads;
    }
  }
}

function scaleChecks(statefulSet: string, direction: 'up' | 'down' | 'none'): AccessCheck[] {
  const reads: AccessCheck[] = [
    { verb: 'get', group: 'apps', resource: 'statefulsets', name: statefulSet },
    { verb: 'get', group: 'apps', resource: 'statefulsets', subresource: 'scale', name: statefulSet },
    { verb: 'list', group: '', resource: 'pods' },
    { verb: 'list', group: 'autoscaling', resource: 'horizontalpodautoscalers' },
    { verb: 'list', group: 'policy', resource: 'poddisruptionbudgets' },
  ];
  if (direction === 'none') return reads;
  const lease = workloadLockName('statefulset', statefulSet);
  return [
    ...reads,
    { verb: 'patch', group: 'apps', resource: 'statefulsets', subresource: 'scale', name: statefulSet },
    { verb: 'get', group: 'coordination.k8s.io', resource: 'leases', name: lease },
    { verb: 'create', group: 'coordination.k8s.io', resource: 'leases' },
    { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', name: lease },
  ];
}

/** The admin API through pods/proxy: GET for reads, POST (create) for drain and undrain. */
function transportChecks(request: AccessRequest): AccessCheck[] {
  if (request.transport !== 'pods-proxy') return [];
  const get: AccessCheck = { verb: 'get', group: '', resource: 'pods', subresource: 'proxy' };
  return request.operation === 'read' ? [get] : [get, { verb: 'create', group: '', resource: 'pods', subresource: 'proxy' }];
}

/** `pods/eviction`, `statefulsets/scale.apps "conduit"`. */
export function describeResource(check: AccessCheck): string {
  const resource = check.subresource ? `${check.resource}/${check.subresource}` : check.resource;
  const group = check.group ? `.${check.group}` : '';
  return `${resource}${group}${check.name ? ` "${check.name}"` : ''}`;
}

/** The refusal text of one denied check. */
export function deniedMessage(check: AccessCheck): string {
  return `not allowed to ${check.verb} ${describeResource(check)}`;
}
