// Label and field selectors, as the API server parses them from `?labelSelector=` / `?fieldSelector=`
// and as objects carry them in `spec.selector`.

import { badRequest } from './status.js';

export type LabelOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

/** The `spec.selector` shape of StatefulSets, PDBs and friends. */
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface FieldRequirement {
  field: string;
  equals: boolean;
  value: string;
}

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits on commas that are not inside a `(…)` value set. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key) || key.length > 316) throw badRequest(`unable to parse requirement: invalid label key "${key}" in selector "${selector}"`);
  return key;
}

function checkValue(value: string, selector: string): string {
  if (!VALUE.test(value) || value.length > 63) throw badRequest(`unable to parse requirement: invalid label value "${value}" in selector "${selector}"`);
  return value;
}

/** Parses `app=gw,tier!=web,env in (a,b),!legacy,release`. An empty string selects everything. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  for (const term of splitTerms(selector)) {
    let m: RegExpMatchArray | null;
    if ((m = term.match(/^(\S+)\s+(in|notin)\s*\((.*)\)$/))) {
      const values = m[3]!.split(',').map((v) => checkValue(v.trim(), selector));
      requirements.push({ key: checkKey(m[1]!, selector), operator: m[2] === 'in' ? 'In' : 'NotIn', values });
    } else if ((m = term.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/))) {
      const value = checkValue(m[3]!, selector);
      requirements.push({ key: checkKey(m[1]!, selector), operator: m[2] === '!=' ? 'NotIn' : 'In', values: [value] });
    } else if ((m = term.match(/^!\s*(\S+)$/))) {
      requirements.push({ key: checkKey(m[1]!, selector), operator: 'DoesNotExist', values: [] });
    } else if (/^\S+$/.test(term)) {
      requirements.push({ key: checkKey(term, selector), operator: 'Exists', values: [] });
    } else {
      throw badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, or end of string`);
    }
  }
  return requirements;
}

/** Requirements of a `spec.selector`. An empty selector matches everything, as in policy/v1. */
export function requirementsFromSpec(spec: LabelSelectorSpec | undefined): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(spec?.matchLabels ?? {})) requirements.push({ key, operator: 'In', values: [value] });
  for (const e of spec?.matchExpressions ?? []) {
    requirements.push({ key: e.key, operator: e.operator as LabelOperator, values: e.values ?? [] });
  }
  return requirements;
}

export function matchesLabels(requirements: readonly LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  return requirements.every((r) => {
    const present = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.operator) {
      case 'In':
        return present && r.values.includes(labels[r.key]!);
      case 'NotIn':
        return !present || !r.values.includes(labels[r.key]!);
      case 'Exists':
        return present;
      case 'DoesNotExist':
        return !present;
    }
  });
}

/** The string form used in `Scale.status.selector` and `?labelSelector=`. */
export function formatLabelSelector(spec: LabelSelectorSpec | undefined): string {
  return requirementsFromSpec(spec)
    .map((r) => {
      switch (r.operator) {
        case 'In':
          return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
        case 'NotIn':
          return `${r.key} notin (${r.values.join(',')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
      }
    })
    .join(',');
}

/** Field selectors the API server supports for every kind, plus the per-kind extras. */
const FIELDS_BY_KIND: Record<string, string[]> = {
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  Namespace: ['status.phase'],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'type',
  ],
};

export function parseFieldSelector(selector: string, kind: string): FieldRequirement[] {
  const allowed = ['metadata.name', 'metadata.namespace', ...(FIELDS_BY_KIND[kind] ?? [])];
  return splitTerms(selector).map((term) => {
    const m = term.match(/^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const field = m[1]!;
    if (!allowed.includes(field)) {
      throw badRequest(`"${field}" is not a known field selector: only "${allowed.join('", "')}"`);
    }
    return { field, equals: m[2] !== '!=', value: m[3]!.trim() };
  });
}

function fieldValue(obj: unknown, path: string): string {
  let current: unknown = obj;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[part];
  }
  return current === undefined || current === null ? '' : String(current);
}

export function matchesFields(requirements: readonly FieldRequirement[], obj: unknown): boolean {
  return requirements.every((r) => (fieldValue(obj, r.field) === r.value) === r.equals);
}
