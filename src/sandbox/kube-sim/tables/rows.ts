// Table cells per kind, as the API server's printers.go computes them (always the wide set: the
// server fills every column and kubectl hides priority-1 columns unless `-o wide`).
import { formatLabelSelector } from '../selectors.js';
import type { JsonMap, KubeObject } from '../store.js';
import { ageSince } from './duration.js';
import { podCells } from './pod-row.js';

export interface Row {
  cells: unknown[];
  conditions?: JsonMap[];
}

type Printer = (obj: KubeObject, now: number) => Row;

const age = (obj: KubeObject, now: number) => ageSince(obj.metadata.creationTimestamp, now);

function containerCells(template: JsonMap | undefined): [names: string, images: string] {
  const containers = (template?.spec?.containers ?? []) as JsonMap[];
  return [containers.map((c) => c.name ?? '').join(','), containers.map((c) => c.image ?? '').join(',')];
}

/** `a=b,c=d` in key order, as labels.FormatLabels writes a map ("<none>" when empty). */
function formatLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

function serviceExternalIP(spec: JsonMap, status: JsonMap): string {
  const external = (spec.externalIPs ?? []) as string[];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = ((status.loadBalancer?.ingress ?? []) as JsonMap[]).map((i) => i.ip || i.hostname).filter(Boolean) as string[];
      const lb = [...new Set(ingress)].sort();
      if (external.length > 0) return [...lb, ...external].join(',');
      return lb.length > 0 ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function servicePorts(ports: JsonMap[]): string {
  const text = ports.map((p) => (p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
  return text || '<none>';
}

/** formatEndpoints: up to three host:port pairs, then "+ N more...". */
function endpointsText(subsets: JsonMap[]): string {
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  let more = false;
  const add = (text: string) => {
    if (list.length === 3) more = true;
    else list.push(text);
  };
  for (const subset of subsets) {
    const addresses = (subset.addresses ?? []) as JsonMap[];
    const ports = (subset.ports ?? []) as JsonMap[];
    if (ports.length === 0) {
      count += addresses.length;
      addresses.forEach((a) => add(a.ip));
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      addresses.forEach((a) => add(a.ip.includes(':') ? `[${a.ip}]:${port.port}` : `${a.ip}:${port.port}`));
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - 3} more...` : text;
}

function listWithMore(items: string[]): string {
  const text = items.slice(0, 3).join(',');
  if (items.length > 3) return `${text} + ${items.length - 3} more...`;
  return text || '<unset>';
}

function eventCells(ev: KubeObject, now: number): Row {
  const first = ev.firstTimestamp ? ageSince(ev.firstTimestamp as string, now) : ageSince(ev.eventTime as string | undefined, now);
  let last = ev.lastTimestamp ? ageSince(ev.lastTimestamp as string, now) : first;
  let count = (ev.count as number | undefined) ?? 0;
  const series = ev.series as JsonMap | undefined;
  if (series) {
    last = ageSince(series.lastObservedTime, now);
    count = series.count ?? 0;
  } else if (count === 0) count = 1;
  const involved = (ev.involvedObject ?? {}) as JsonMap;
  const kind = String(involved.kind ?? '').toLowerCase();
  const target = involved.name ? `${kind}/${involved.name}` : kind;
  const source = (ev.source ?? {}) as JsonMap;
  const component = source.component || (ev.reportingComponent as string) || '';
  const host = source.host || (ev.reportingInstance as string) || '';
  return {
    cells: [last, ev.type ?? '', ev.reason ?? '', target, involved.fieldPath ?? '', host ? `${component}, ${host}` : component, String(ev.message ?? '').trim(), first, count, ev.metadata.name],
  };
}

function intOrString(value: unknown): string {
  return value === undefined || value === null ? 'N/A' : String(value);
}

export const PRINTERS: Record<string, Printer> = {
  Pod: podCells,
  Service: (svc, now) => {
    const spec = svc.spec ?? {};
    const clusterIP = ((spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) as string[])[0] ?? '<none>';
    const selector = spec.selector as Record<string, string> | undefined;
    return { cells: [svc.metadata.name, spec.type ?? 'ClusterIP', clusterIP, serviceExternalIP(spec, svc.status ?? {}), servicePorts(spec.ports ?? []), age(svc, now), formatLabels(selector)] };
  },
  StatefulSet: (sts, now) => {
    const [names, images] = containerCells(sts.spec?.template);
    return { cells: [sts.metadata.name, `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 1}`, age(sts, now), names, images] };
  },
  Deployment: (d, now) => {
    const [names, images] = containerCells(d.spec?.template);
    const status = d.status ?? {};
    const selector = formatLabelSelector(d.spec?.selector);
    return {
      cells: [d.metadata.name, `${status.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`, status.updatedReplicas ?? 0, status.availableReplicas ?? 0, age(d, now), names, images, selector === '<none>' ? '' : selector],
    };
  },
  ReplicaSet: (rs, now) => {
    const [names, images] = containerCells(rs.spec?.template);
    const status = rs.status ?? {};
    return { cells: [rs.metadata.name, rs.spec?.replicas ?? 1, status.replicas ?? 0, status.readyReplicas ?? 0, age(rs, now), names, images, formatLabelSelector(rs.spec?.selector)] };
  },
  ControllerRevision: (cr, now) => {
    const owner = (cr.metadata.ownerReferences ?? []).find((ref) => ref.controller);
    const group = owner?.apiVersion.includes('/') ? owner.apiVersion.split('/')[0] : '';
    const controller = owner ? `${owner.kind.toLowerCase()}${group ? `.${group}` : ''}/${owner.name}` : '<none>';
    return { cells: [cr.metadata.name, controller, cr.revision ?? 0, age(cr, now)] };
  },
  Endpoints: (ep, now) => ({ cells: [ep.metadata.name, endpointsText((ep.subsets ?? []) as JsonMap[]), age(ep, now)] }),
  EndpointSlice: (slice, now) => {
    const ports = ((slice.ports ?? []) as JsonMap[]).map((p) => (p.port !== undefined ? String(p.port) : (p.name ?? '*')));
    const addresses = ((slice.endpoints ?? []) as JsonMap[]).flatMap((e) => (e.addresses ?? []) as string[]);
    return { cells: [slice.metadata.name, slice.addressType ?? '', listWithMore(ports), listWithMore(addresses), age(slice, now)] };
  },
  Lease: (lease, now) => ({ cells: [lease.metadata.name, lease.spec?.holderIdentity ?? '', age(lease, now)] }),
  Event: eventCells,
  Namespace: (ns, now) => ({ cells: [ns.metadata.name, ns.status?.phase ?? '', age(ns, now)] }),
  PodDisruptionBudget: (pdb, now) => ({
    cells: [pdb.metadata.name, intOrString(pdb.spec?.minAvailable), intOrString(pdb.spec?.maxUnavailable), pdb.status?.disruptionsAllowed ?? 0, age(pdb, now)],
  }),
  HorizontalPodAutoscaler: (hpa, now) => {
    const spec = hpa.spec ?? {};
    const ref = spec.scaleTargetRef ?? {};
    const metrics = (spec.metrics ?? []) as JsonMap[];
    const targets = metrics.length === 0 ? '<none>' : metrics.map(hpaMetric).slice(0, 2).join(', ') + (metrics.length > 2 ? ` + ${metrics.length - 2} more...` : '');
    return {
      cells: [hpa.metadata.name, `${ref.kind ?? ''}/${ref.name ?? ''}`, targets, spec.minReplicas !== undefined ? String(spec.minReplicas) : '<unset>', spec.maxReplicas ?? 0, hpa.status?.currentReplicas ?? 0, age(hpa, now)],
    };
  },
};

/** The one metric type kube-sim's HPAs use (CPU utilization); others print as the API server's fallback. */
function hpaMetric(metric: JsonMap): string {
  if (metric.type === 'Resource' && metric.resource?.target?.averageUtilization !== undefined) {
    return `${metric.resource.name}: <unknown>/${metric.resource.target.averageUtilization}%`;
  }
  return '<unknown type>';
}
