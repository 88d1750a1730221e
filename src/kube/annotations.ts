// The gateway contract a StatefulSet declares about itself (DESIGN.md §2): `conduit.dev/*`
// annotations, read into plain values. Flags given on the command line take precedence (cli/).

import { UsageError } from '../ops/errors.js';
import type { StatefulSetInfo } from '../ops/ports/index.js';

export const CONTRACT_ANNOTATIONS = {
  adminPort: 'conduit.dev/admin-port',
  healthPath: 'conduit.dev/health-path',
  countPath: 'conduit.dev/count-path',
  countField: 'conduit.dev/count-field',
  countMetric: 'conduit.dev/count-metric',
  healthStatusField: 'conduit.dev/health-status-field',
  healthOkValues: 'conduit.dev/health-ok-values',
  healthDrainingValues: 'conduit.dev/health-draining-values',
} as const;

/** Same field names as the command-line contract flags. */
export interface AnnotatedContract {
  adminPort?: number;
  healthPath?: string;
  countPath?: string;
  countField?: string;
  countMetric?: string;
  healthStatusField?: string;
  healthOkValues?: string[];
  healthDrainingValues?: string[];
}

function invalid(sts: Pick<StatefulSetInfo, 'name'>, annotation: string, value: string, why: string): UsageError {
  return new UsageError(`statefulset "${sts.name}": annotation ${annotation}=${JSON.stringify(value)} ${why}`, 'fix the annotation or override it with the matching flag');
}

export function contractFromAnnotations(sts: Pick<StatefulSetInfo, 'name' | 'annotations'>): AnnotatedContract {
  const value = (key: string) => {
    const text = sts.annotations[key]?.trim();
    return text ? text : undefined;
  };
  const contract: AnnotatedContract = {};
  const port = value(CONTRACT_ANNOTATIONS.adminPort);
  if (port !== undefined) {
    const n = Number(port);
    if (!/^\d+$/.test(port) || n < 1 || n > 65_535) throw invalid(sts, CONTRACT_ANNOTATIONS.adminPort, port, 'is not a port from 1 to 65535');
    contract.adminPort = n;
  }
  for (const key of ['healthPath', 'countPath'] as const) {
    const path = value(CONTRACT_ANNOTATIONS[key]);
    if (path === undefined) continue;
    if (!path.startsWith('/') || /[\s?#]/.test(path)) throw invalid(sts, CONTRACT_ANNOTATIONS[key], path, "is not a path starting with '/'");
    contract[key] = path;
  }
  const field = value(CONTRACT_ANNOTATIONS.countField);
  const metric = value(CONTRACT_ANNOTATIONS.countMetric);
  if (field !== undefined && metric !== undefined) {
    throw invalid(sts, CONTRACT_ANNOTATIONS.countMetric, metric, `cannot be combined with ${CONTRACT_ANNOTATIONS.countField}`);
  }
  if (field !== undefined) contract.countField = field;
  if (metric !== undefined) contract.countMetric = metric;
  const statusField = value(CONTRACT_ANNOTATIONS.healthStatusField);
  if (statusField !== undefined) contract.healthStatusField = statusField;
  for (const key of ['healthOkValues', 'healthDrainingValues'] as const) {
    const list = value(CONTRACT_ANNOTATIONS[key]);
    if (list === undefined) continue;
    const items = list.split(',').map((item) => item.trim());
    if (items.some((item) => item === '')) throw invalid(sts, CONTRACT_ANNOTATIONS[key], list, 'is not a comma-separated list of non-empty values');
    contract[key] = items;
  }
  return contract;
}
