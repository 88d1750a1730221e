// The endpoints controllers: for each Service with a selector, an Endpoints object (ready and
// not-ready addresses; terminating pods are dropped) and one EndpointSlice (every pod with an IP,
// with the ready / serving / terminating conditions), both rewritten only when they change.
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { JsonMap, KubeObject, KubeStore, StoreEvent } from '../kube-sim/store.js';
import { isReady, isTerminating } from './pod-state.js';
import type { ControllerHandle, ControllerOptions } from './statefulset.js';
import { createWorkQueue, keyFor, splitKey } from './work-queue.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
const MANAGED_BY = 'endpointslice-controller.k8s.io';

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

interface ResolvedPort {
  name?: string;
  port: number;
  protocol: string;
}

export function startEndpointsController(store: KubeStore, options: ControllerOptions = {}): ControllerHandle {
  const queue = createWorkQueue(
    (key) => reconcile(store, key),
    (key, error) => options.onError?.(`endpoints ${key}: ${(error as Error).message}`),
  );
  const queueNamespace = (namespace: string | undefined): void => {
    for (const svc of store.list('Service', namespace).items) queue.add(keyFor(svc.metadata.namespace, svc.metadata.name!));
  };
  const off = store.subscribe((event: StoreEvent) => {
    if (event.kind === 'Service') queue.add(keyFor(event.object.metadata.namespace, event.object.metadata.name!));
    else if (event.kind === 'Pod') queueNamespace(event.object.metadata.namespace);
  });
  queueNamespace(undefined);
  return {
    idle: () => queue.idle(),
    stop() {
      off();
      queue.stop();
    },
  };
}

/** The port a Service port reaches on one pod: a number, or a container port found by name. */
export function resolveTargetPort(servicePort: ServicePort, pod: KubeObject): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const container of (pod.spec?.containers ?? []) as JsonMap[]) {
    for (const port of (container.ports ?? []) as JsonMap[]) {
      if (port.name === target) return port.containerPort as number;
    }
  }
  return undefined;
}

function portsFor(service: KubeObject, pod: KubeObject): ResolvedPort[] | undefined {
  const resolved: ResolvedPort[] = [];
  for (const sp of (service.spec?.ports ?? []) as ServicePort[]) {
    const port = resolveTargetPort(sp, pod);
    if (port === undefined) return undefined;
    resolved.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP' });
  }
  return resolved;
}

const targetRef = (pod: KubeObject) => ({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid });

function reconcile(store: KubeStore, key: string): void {
  const [namespace, name] = splitKey(key);
  const service = store.get('Service', namespace, name);
  const slices = store.list('EndpointSlice', namespace, { labelSelector: { matchLabels: { [SERVICE_NAME_LABEL]: name } } }).items;
  const selector = service?.spec?.selector as Record<string, string> | undefined;
  if (!service || !selector || Object.keys(selector).length === 0) {
    // Gone, or a selector-less Service whose endpoints someone else manages.
    if (!service && store.get('Endpoints', namespace, name)) store.delete('Endpoints', namespace, name);
    if (!service) for (const slice of slices) store.delete('EndpointSlice', namespace, slice.metadata.name!);
    return;
  }
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const pods = store
    .list('Pod', namespace, { labelSelector: { matchLabels: selector } })
    .items.filter((pod) => pod.status?.podIP);

  const subsets = new Map<string, { addresses: JsonMap[]; notReadyAddresses: JsonMap[]; ports: ResolvedPort[] }>();
  const sliceEndpoints: JsonMap[] = [];
  let slicePorts: ResolvedPort[] | undefined;
  for (const pod of pods) {
    const ports = portsFor(service, pod);
    if (!ports) continue;
    slicePorts ??= ports;
    const ready = isReady(pod);
    const terminating = isTerminating(pod);
    const hostname = pod.spec?.subdomain === name ? pod.spec?.hostname : undefined;
    sliceEndpoints.push({
      addresses: [pod.status!.podIP],
      conditions: { ready: (ready && !terminating) || publishNotReady, serving: ready, terminating },
      ...(hostname ? { hostname } : {}),
      targetRef: targetRef(pod),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    });
    if (terminating && !publishNotReady) continue;
    const signature = JSON.stringify(ports);
    let subset = subsets.get(signature);
    if (!subset) subsets.set(signature, (subset = { addresses: [], notReadyAddresses: [], ports }));
    const address = { ip: pod.status!.podIP, ...(hostname ? { hostname } : {}), ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}), targetRef: targetRef(pod) };
    (ready || publishNotReady ? subset.addresses : subset.notReadyAddresses).push(address);
  }

  const endpointsSubsets = [...subsets.values()].map((s) => ({
    ...(s.addresses.length ? { addresses: s.addresses } : {}),
    ...(s.notReadyAddresses.length ? { notReadyAddresses: s.notReadyAddresses } : {}),
    ports: s.ports,
  }));
  const labels = { ...(service.metadata.labels ?? {}) };
  writeIfChanged(store, 'Endpoints', {
    metadata: { name, namespace, labels },
    subsets: endpointsSubsets,
  }, ['subsets']);

  const ownerReferences = [{ apiVersion: 'v1', kind: 'Service', name, uid: service.metadata.uid!, controller: true, blockOwnerDeletion: true }];
  const sliceName = `${name}-${createHash('sha256').update(service.metadata.uid!).digest('hex').slice(0, 5)}`;
  for (const stale of slices) if (stale.metadata.name !== sliceName) store.delete('EndpointSlice', namespace, stale.metadata.name!);
  writeIfChanged(store, 'EndpointSlice', {
    metadata: { name: sliceName, namespace, labels: { ...labels, [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MANAGED_BY }, ownerReferences },
    addressType: 'IPv4',
    endpoints: sliceEndpoints,
    ports: slicePorts ?? [],
  }, ['endpoints', 'ports', 'addressType']);
}

function writeIfChanged(store: KubeStore, kind: string, desired: KubeObject, fields: string[]): void {
  const { namespace, name } = desired.metadata;
  const existing = store.get(kind, namespace, name!);
  if (!existing) {
    store.create(kind, desired);
    return;
  }
  const same = fields.every((f) => isDeepStrictEqual(existing[f], desired[f])) && isDeepStrictEqual(existing.metadata.labels ?? {}, desired.metadata.labels ?? {});
  if (same) return;
  store.mutate(kind, namespace, name!, (obj) => {
    for (const f of fields) obj[f] = desired[f];
    obj.metadata.labels = desired.metadata.labels;
  });
}
