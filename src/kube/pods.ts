// A pod as the ops layer sees it (an Instance), and the StatefulSet facts read from it.

import type { V1Pod } from '@kubernetes/client-node';
import type { Instance } from '../ops/ports/index.js';

const ORDINAL_SUFFIX = /-(\d+)$/;
const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
const REVISION_LABEL = 'controller-revision-hash';

export function controllerOf(pod: V1Pod): { kind: string; name: string; uid: string } | undefined {
  const owner = pod.metadata?.ownerReferences?.find((ref) => ref.controller === true);
  return owner ? { kind: owner.kind, name: owner.name, uid: owner.uid } : undefined;
}

/** True when `pod` is controlled by the StatefulSet (by uid when known, else by name). */
export function ownedByStatefulSet(pod: V1Pod, name: string, uid?: string): boolean {
  const owner = controllerOf(pod);
  return owner?.kind === 'StatefulSet' && owner.name === name && (uid === undefined || owner.uid === uid);
}

/** The StatefulSet ordinal: the pod-index label, else the name's numeric suffix. */
function ordinalOf(pod: V1Pod): number | undefined {
  if (controllerOf(pod)?.kind !== 'StatefulSet') return undefined;
  const label = pod.metadata?.labels?.[POD_INDEX_LABEL];
  const text = label && /^\d+$/.test(label) ? label : ORDINAL_SUFFIX.exec(pod.metadata?.name ?? '')?.[1];
  return text === undefined ? undefined : Number(text);
}

function timeMs(value: Date | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function isoTime(value: Date | string | undefined): string | undefined {
  const ms = timeMs(value);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

export function podToInstance(pod: V1Pod): Instance {
  const metadata = pod.metadata ?? {};
  const status = pod.status ?? {};
  const ready = status.conditions?.find((c) => c.type === 'Ready');
  const restarts = (status.containerStatuses ?? []).reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
  const instance: Instance = { name: metadata.name ?? '' };
  if (status.podIP) instance.address = status.podIP;
  if (metadata.uid) instance.uid = metadata.uid;
  instance.ready = ready?.status === 'True';
  if (status.phase) instance.phase = status.phase;
  const deletion = isoTime(metadata.deletionTimestamp);
  if (deletion) instance.deletionTimestamp = deletion;
  instance.restarts = restarts;
  const created = timeMs(metadata.creationTimestamp);
  if (created !== undefined) instance.createdAtMs = created;
  const revision = metadata.labels?.[REVISION_LABEL];
  if (revision) instance.revision = revision;
  const ordinal = ordinalOf(pod);
  if (ordinal !== undefined) instance.ordinal = ordinal;
  return instance;
}

/** By ordinal when both have one, else by name with numeric runs compared as numbers. */
export function compareInstances(a: Instance, b: Instance): number {
  if (a.ordinal !== undefined && b.ordinal !== undefined && a.ordinal !== b.ordinal) return a.ordinal - b.ordinal;
  return a.name.localeCompare(b.name, 'en', { numeric: true });
}
