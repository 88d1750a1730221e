// Whether clients of a Service can still be sent to a pod: its entry in the Service's EndpointSlices.

import type { V1Endpoint } from '@kubernetes/client-node';
import type { EndpointReadiness, Instance } from '../ops/ports/index.js';
import type { KubeClient } from './client.js';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

function isInstance(endpoint: V1Endpoint, instance: Instance): boolean {
  const ref = endpoint.targetRef;
  if (ref?.kind === 'Pod') {
    if (ref.uid && instance.uid) return ref.uid === instance.uid;
    return ref.name === instance.name;
  }
  return instance.address !== undefined && endpoint.addresses.includes(instance.address);
}

/**
 * `ready`/`not-ready` as the slices say; `absent` when no slice lists the pod; `unknown` when the
 * slices list it without a ready condition (the API leaves that to the consumer: never assume).
 */
export async function endpointReadiness(
  client: KubeClient,
  serviceName: string,
  instance: Instance,
  signal?: AbortSignal,
): Promise<EndpointReadiness> {
  const list = await client.call(
    client.op('list', 'endpointslices.discovery.k8s.io'),
    (apis, options) =>
      apis.discovery.listNamespacedEndpointSlice({ namespace: client.namespace, labelSelector: `${SERVICE_NAME_LABEL}=${serviceName}` }, options.plain),
    signal,
  );
  const states = list.items.flatMap((slice) => slice.endpoints ?? []).filter((e) => isInstance(e, instance)).map((e) => e.conditions?.ready);
  if (states.length === 0) return 'absent';
  if (states.includes(true)) return 'ready';
  if (states.includes(false)) return 'not-ready';
  return 'unknown';
}
