// The API server's validation for the fields kube-sim's users touch: names, replicas, selectors.

import type { ResourceType } from './resources.js';
import type { KubeObject } from './store.js';
import { matchesLabels, requirementsFromSpec } from './selectors.js';
import { invalid, type FieldProblem } from './status.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

export function nameProblems(name: string | undefined, asLabel: boolean): FieldProblem[] {
  if (!name) return [{ field: 'metadata.name', detail: 'Required value: name or generateName is required', reason: 'FieldValueRequired' }];
  const max = asLabel ? 63 : 253;
  const problems: FieldProblem[] = [];
  if (name.length > max) problems.push({ field: 'metadata.name', detail: `Invalid value: "${name}": must be no more than ${max} characters` });
  if (!(asLabel ? DNS1123_LABEL : DNS1123_SUBDOMAIN).test(name)) {
    problems.push({ field: 'metadata.name', detail: `Invalid value: "${name}": ${asLabel ? LABEL_MESSAGE : SUBDOMAIN_MESSAGE}` });
  }
  return problems;
}

export function replicasProblems(field: string, replicas: unknown): FieldProblem[] {
  if (replicas === undefined) return [];
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
    return [{ field, detail: `Invalid value: ${JSON.stringify(replicas)}: must be an integer` }];
  }
  return replicas < 0 ? [{ field, detail: `Invalid value: ${replicas}: must be greater than or equal to 0` }] : [];
}

/** StatefulSets, Deployments and ReplicaSets: replicas, a selector that matches the template. */
function workloadProblems(obj: KubeObject): FieldProblem[] {
  const spec = obj.spec ?? {};
  const problems = replicasProblems('spec.replicas', spec.replicas);
  if (!spec.selector) {
    problems.push({ field: 'spec.selector', detail: 'Required value', reason: 'FieldValueRequired' });
  } else {
    const labels = spec.template?.metadata?.labels as Record<string, string> | undefined;
    if (!matchesLabels(requirementsFromSpec(spec.selector), labels)) {
      problems.push({
        field: 'spec.template.metadata.labels',
        detail: `Invalid value: ${JSON.stringify(labels ?? {})}: \`selector\` does not match template \`labels\``,
      });
    }
  }
  if (spec.podManagementPolicy && !['OrderedReady', 'Parallel'].includes(spec.podManagementPolicy)) {
    problems.push({ field: 'spec.podManagementPolicy', detail: `Unsupported value: "${spec.podManagementPolicy}": supported values: "OrderedReady", "Parallel"`, reason: 'FieldValueNotSupported' });
  }
  return problems;
}

function disruptionBudgetProblems(obj: KubeObject): FieldProblem[] {
  const spec = obj.spec ?? {};
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    return [{ field: 'spec', detail: 'Invalid value: "": minAvailable and maxUnavailable cannot be both set' }];
  }
  return [];
}

const WORKLOADS = new Set(['StatefulSet', 'Deployment', 'ReplicaSet']);

/** Throws the 422 Invalid ApiError the API server would answer for this object. */
export function validateObject(type: ResourceType, obj: KubeObject): void {
  const problems = nameProblems(obj.metadata.name, type.kind === 'Namespace' || type.kind === 'Service');
  if (WORKLOADS.has(type.kind)) problems.push(...workloadProblems(obj));
  if (type.kind === 'PodDisruptionBudget') problems.push(...disruptionBudgetProblems(obj));
  if (problems.length > 0) throw invalid(type.kind, type.group, obj.metadata.name ?? '', problems);
}
