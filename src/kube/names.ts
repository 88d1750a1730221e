// Names for shell completion: pods, StatefulSets and namespaces of the API server a kubeconfig
// points at, and the kubeconfig's contexts. One list call each, within the caller's deadline.

import { makeApis } from './api.js';
import { KubeClient } from './client.js';
import { loadKubeConfig, type KubeConfigOptions } from './kubeconfig.js';
import { KubeRest } from './rest.js';

export type KubeNameKind = 'pods' | 'statefulsets' | 'namespaces' | 'contexts';

function namesOf(list: { items: { metadata?: { name?: string } }[] }): string[] {
  return list.items.map((item) => item.metadata?.name ?? '').filter(Boolean).sort();
}

/** `deadlineMs` bounds the whole lookup (a throttled list is retried within it), from when it starts. */
export async function listNames(kind: KubeNameKind, options: KubeConfigOptions, deadlineMs: number, abort?: AbortSignal): Promise<string[]> {
  const deadline = AbortSignal.timeout(deadlineMs);
  const signal = abort ? AbortSignal.any([abort, deadline]) : deadline;
  if (kind === 'contexts') return loadKubeConfig({ ...options, context: undefined, namespace: undefined }).kc.getContexts().map((c) => c.name);
  const loaded = loadKubeConfig(options);
  const rest = new KubeRest(loaded.kc, loaded.server);
  const client = new KubeClient(makeApis(rest), loaded.namespace, deadlineMs);
  const namespace = loaded.namespace;
  try {
    switch (kind) {
      case 'pods':
        return namesOf(await client.call(client.op('list', 'pods'), (apis, o) => apis.core.listNamespacedPod({ namespace }, o.plain), signal));
      case 'statefulsets':
        return namesOf(await client.call(client.op('list', 'statefulsets'), (apis, o) => apis.apps.listNamespacedStatefulSet({ namespace }, o.plain), signal));
      case 'namespaces':
        return namesOf(await client.call({ verb: 'list', resource: 'namespaces' }, (apis, o) => apis.core.listNamespace({}, o.plain), signal));
    }
  } finally {
    rest.close();
  }
}
