// The fields the API server knows for each kind kube-sim serves, as a tree: a nested object lists
// known keys, `[tree]` is a list of such objects, ANY is a value (or subtree) kube-sim does not
// look into. Strict field validation (`fieldValidation=Strict`, what `kubectl apply` sends) reports
// keys outside the tree, and the OpenAPI documents are generated from it.

export const ANY = '*';
export type FieldTree = typeof ANY | { [key: string]: FieldTree } | [FieldTree];

const labelSelector: FieldTree = { matchLabels: ANY, matchExpressions: [{ key: ANY, operator: ANY, values: ANY }] };

export const objectMeta: FieldTree = {
  name: ANY, generateName: ANY, namespace: ANY, selfLink: ANY, uid: ANY, resourceVersion: ANY, generation: ANY,
  creationTimestamp: ANY, deletionTimestamp: ANY, deletionGracePeriodSeconds: ANY, labels: ANY, annotations: ANY,
  ownerReferences: [{ apiVersion: ANY, kind: ANY, name: ANY, uid: ANY, controller: ANY, blockOwnerDeletion: ANY }],
  finalizers: ANY, managedFields: ANY,
};

const container: FieldTree = {
  name: ANY, image: ANY, command: ANY, args: ANY, workingDir: ANY,
  ports: [{ name: ANY, hostPort: ANY, containerPort: ANY, protocol: ANY, hostIP: ANY }],
  envFrom: ANY, env: [{ name: ANY, value: ANY, valueFrom: ANY }], resources: ANY, resizePolicy: ANY, restartPolicy: ANY,
  volumeMounts: ANY, volumeDevices: ANY, livenessProbe: ANY, readinessProbe: ANY, startupProbe: ANY, lifecycle: ANY,
  terminationMessagePath: ANY, terminationMessagePolicy: ANY, imagePullPolicy: ANY, securityContext: ANY,
  stdin: ANY, stdinOnce: ANY, tty: ANY,
};

const podSpec: FieldTree = {
  volumes: ANY, initContainers: [container], containers: [container], ephemeralContainers: ANY, restartPolicy: ANY,
  terminationGracePeriodSeconds: ANY, activeDeadlineSeconds: ANY, dnsPolicy: ANY, nodeSelector: ANY,
  serviceAccountName: ANY, serviceAccount: ANY, automountServiceAccountToken: ANY, nodeName: ANY, hostNetwork: ANY,
  hostPID: ANY, hostIPC: ANY, shareProcessNamespace: ANY, securityContext: ANY, imagePullSecrets: ANY, hostname: ANY,
  subdomain: ANY, affinity: ANY, schedulerName: ANY, tolerations: ANY, hostAliases: ANY, priorityClassName: ANY,
  priority: ANY, dnsConfig: ANY, readinessGates: ANY, runtimeClassName: ANY, enableServiceLinks: ANY,
  preemptionPolicy: ANY, overhead: ANY, topologySpreadConstraints: ANY, setHostnameAsFQDN: ANY, os: ANY,
  hostUsers: ANY, schedulingGates: ANY, resourceClaims: ANY, resources: ANY,
};

const podTemplate: FieldTree = { metadata: objectMeta, spec: podSpec };

const top = (spec: FieldTree, status: FieldTree = ANY): FieldTree => ({ apiVersion: ANY, kind: ANY, metadata: objectMeta, spec, status });

/** Known fields per kind. */
export const FIELDS: Record<string, FieldTree> = {
  Namespace: top({ finalizers: ANY }),
  Pod: top(podSpec),
  Service: top({
    ports: [{ name: ANY, protocol: ANY, appProtocol: ANY, port: ANY, targetPort: ANY, nodePort: ANY }],
    selector: ANY, clusterIP: ANY, clusterIPs: ANY, type: ANY, externalIPs: ANY, sessionAffinity: ANY,
    loadBalancerIP: ANY, loadBalancerSourceRanges: ANY, externalName: ANY, externalTrafficPolicy: ANY,
    healthCheckNodePort: ANY, publishNotReadyAddresses: ANY, sessionAffinityConfig: ANY, ipFamilies: ANY,
    ipFamilyPolicy: ANY, allocateLoadBalancerNodePorts: ANY, loadBalancerClass: ANY, internalTrafficPolicy: ANY,
    trafficDistribution: ANY,
  }),
  Endpoints: { apiVersion: ANY, kind: ANY, metadata: objectMeta, subsets: ANY },
  Event: {
    apiVersion: ANY, kind: ANY, metadata: objectMeta, involvedObject: ANY, reason: ANY, message: ANY, source: ANY,
    firstTimestamp: ANY, lastTimestamp: ANY, count: ANY, type: ANY, eventTime: ANY, series: ANY, action: ANY,
    related: ANY, reportingComponent: ANY, reportingInstance: ANY,
  },
  StatefulSet: top({
    replicas: ANY, selector: labelSelector, template: podTemplate, volumeClaimTemplates: ANY, serviceName: ANY,
    podManagementPolicy: ANY, updateStrategy: { type: ANY, rollingUpdate: { partition: ANY, maxUnavailable: ANY } },
    revisionHistoryLimit: ANY, minReadySeconds: ANY, persistentVolumeClaimRetentionPolicy: ANY, ordinals: ANY,
  }),
  Deployment: top({
    replicas: ANY, selector: labelSelector, template: podTemplate,
    strategy: { type: ANY, rollingUpdate: { maxUnavailable: ANY, maxSurge: ANY } },
    minReadySeconds: ANY, revisionHistoryLimit: ANY, paused: ANY, progressDeadlineSeconds: ANY,
  }),
  ControllerRevision: { apiVersion: ANY, kind: ANY, metadata: objectMeta, data: ANY, revision: ANY },
  ReplicaSet: top({ replicas: ANY, minReadySeconds: ANY, selector: labelSelector, template: podTemplate }),
  PodDisruptionBudget: top({ minAvailable: ANY, selector: labelSelector, maxUnavailable: ANY, unhealthyPodEvictionPolicy: ANY }),
  HorizontalPodAutoscaler: top({ scaleTargetRef: { kind: ANY, name: ANY, apiVersion: ANY }, minReplicas: ANY, maxReplicas: ANY, metrics: ANY, behavior: ANY }),
  Lease: top({
    holderIdentity: ANY, leaseDurationSeconds: ANY, acquireTime: ANY, renewTime: ANY, leaseTransitions: ANY,
    strategy: ANY, preferredHolder: ANY,
  }),
  EndpointSlice: { apiVersion: ANY, kind: ANY, metadata: objectMeta, addressType: ANY, endpoints: ANY, ports: ANY },
};

/** Paths of keys the tree does not know, as the API server's strict decoder names them ("spec.replica"). */
export function unknownFields(value: unknown, tree: FieldTree, path = ''): string[] {
  if (tree === ANY || value === null || typeof value !== 'object') return [];
  if (Array.isArray(tree)) {
    if (!Array.isArray(value)) return [];
    return value.flatMap((item, i) => unknownFields(item, tree[0], `${path}[${i}]`));
  }
  if (Array.isArray(value)) return [];
  // Strategic-merge directives ($patch, $setElementOrder/…, $retainKeys) are not fields.
  return Object.entries(value as Record<string, unknown>).filter(([key]) => !key.startsWith('$')).flatMap(([key, child]) => {
    const where = path ? `${path}.${key}` : key;
    const known = tree[key];
    return known === undefined ? [where] : unknownFields(child, known, where);
  });
}
