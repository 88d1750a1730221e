// A StatefulSet's history, as kube-controller-manager keeps it (stateful_set_control.go
// getStatefulSetRevisions, history.go): one ControllerRevision per pod template, named like the
// revision the pods carry, whose `data` is the strategic merge patch that restores that template
// and whose `revision` numbers them in the order they became the update revision. `kubectl
// rollout history sts/NAME` lists them; `kubectl rollout undo` PATCHes a revision's data back.
import type { JsonMap, KubeObject, KubeStore } from '../kube-sim/store.js';
import { isOwnedBy } from './pod-state.js';

export const HASH_LABEL = 'controller.kubernetes.io/hash';
const DEFAULT_HISTORY_LIMIT = 10;

/** The revisions of `sts`, oldest first. */
export function revisionsOf(store: KubeStore, sts: KubeObject): KubeObject[] {
  return store
    .list('ControllerRevision', sts.metadata.namespace)
    .items.filter((cr) => isOwnedBy(cr, sts))
    .sort((a, b) => Number(a.revision ?? 0) - Number(b.revision ?? 0));
}

/**
 * Make `updateRevision` (the name of the current template's revision) the newest ControllerRevision:
 * created with the next number, or — a template seen before, as after `rollout undo` — renumbered
 * to the next. Then keep at most `revisionHistoryLimit` revisions that no pod uses any more.
 */
export function syncHistory(store: KubeStore, sts: KubeObject, updateRevision: string, live: ReadonlySet<string>): void {
  const namespace = sts.metadata.namespace;
  const revisions = revisionsOf(store, sts);
  const newest = Number(revisions.at(-1)?.revision ?? 0);
  const existing = revisions.find((cr) => cr.metadata.name === updateRevision);
  if (!existing) {
    const template = structuredClone((sts.spec?.template ?? {}) as JsonMap);
    store.create('ControllerRevision', {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name: updateRevision,
        namespace,
        labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: updateRevision.slice(sts.metadata.name!.length + 1) },
        ...(sts.metadata.annotations ? { annotations: { ...sts.metadata.annotations } } : {}),
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: sts.metadata.name!, uid: sts.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      data: { spec: { template: { ...template, $patch: 'replace' } } },
      revision: newest + 1,
    });
  } else if (Number(existing.revision ?? 0) < newest) {
    store.mutate('ControllerRevision', namespace, updateRevision, (cr) => {
      cr.revision = newest + 1;
    });
  }
  const limit: number = sts.spec?.revisionHistoryLimit ?? DEFAULT_HISTORY_LIMIT;
  const unused = revisionsOf(store, sts).filter((cr) => cr.metadata.name !== updateRevision && !live.has(cr.metadata.name!));
  for (const cr of unused.slice(0, Math.max(0, unused.length - limit))) store.delete('ControllerRevision', namespace, cr.metadata.name!);
}
