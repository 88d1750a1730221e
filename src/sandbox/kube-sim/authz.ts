// RBAC as a test sees it: everything is allowed unless a deny rule matches. Rules use RBAC's
// vocabulary ("statefulsets/scale", verbs, resourceNames) and apply to real requests and to
// SelfSubjectAccessReview alike.

import type { ResourceRequest } from './request-info.js';
import { ApiError } from './status.js';

export interface DenyRule {
  /** e.g. ['patch'], or ['*'] / undefined for every verb. */
  verbs?: string[];
  /** 'pods', 'statefulsets/scale', 'pods/*', '*'; undefined for every resource. */
  resources?: string[];
  /** API groups ('' = core); undefined for every group. */
  apiGroups?: string[];
  resourceNames?: string[];
  namespaces?: string[];
}

export interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  name?: string;
  namespace?: string;
}

const anyOf = (list: string[] | undefined, value: string) => list === undefined || list.length === 0 || list.includes('*') || list.includes(value);

function resourceMatches(patterns: string[] | undefined, resource: string, subresource: string | undefined): boolean {
  if (patterns === undefined || patterns.length === 0) return true;
  const full = subresource ? `${resource}/${subresource}` : resource;
  return patterns.some((p) => p === '*' || p === full || (subresource !== undefined && p === `${resource}/*`) || (p === `*/${subresource}` && subresource !== undefined));
}

export function ruleMatches(rule: DenyRule, a: ResourceAttributes): boolean {
  return (
    anyOf(rule.verbs, a.verb) &&
    anyOf(rule.apiGroups, a.group) &&
    resourceMatches(rule.resources, a.resource, a.subresource) &&
    (rule.resourceNames === undefined || rule.resourceNames.length === 0 || (a.name !== undefined && rule.resourceNames.includes(a.name))) &&
    (rule.namespaces === undefined || rule.namespaces.length === 0 || (a.namespace !== undefined && rule.namespaces.includes(a.namespace)))
  );
}

export class Authorizer {
  private rules: DenyRule[] = [];

  constructor(readonly userName: string) {}

  deny(rule: DenyRule): void {
    this.rules.push(structuredClone(rule));
  }

  clear(): void {
    this.rules = [];
  }

  list(): DenyRule[] {
    return structuredClone(this.rules);
  }

  allowed(attributes: ResourceAttributes): boolean {
    return !this.rules.some((r) => ruleMatches(r, attributes));
  }

  /** Throws the API server's 403 when a deny rule matches the request. */
  check(info: ResourceRequest): void {
    const attributes: ResourceAttributes = {
      verb: info.verb,
      group: info.group,
      resource: info.resource,
      ...(info.subresource !== undefined ? { subresource: info.subresource } : {}),
      ...(info.name !== undefined ? { name: info.name } : {}),
      ...(info.namespace !== undefined ? { namespace: info.namespace } : {}),
    };
    if (this.allowed(attributes)) return;
    const full = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
    const target = info.name ? `${info.group ? `${info.resource}.${info.group}` : info.resource} "${info.name}" is forbidden` : `${info.group ? `${info.resource}.${info.group}` : info.resource} is forbidden`;
    const scope = info.namespace ? ` in the namespace "${info.namespace}"` : ' at the cluster scope';
    throw new ApiError(403, 'Forbidden', `${target}: User "${this.userName}" cannot ${info.verb} resource "${full}" in API group "${info.group}"${scope}`, {
      ...(info.name ? { name: info.name } : {}),
      ...(info.group ? { group: info.group } : {}),
      kind: info.resource,
    });
  }
}
