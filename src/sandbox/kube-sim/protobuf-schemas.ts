// Field numbers of the Kubernetes protobuf messages kubectl's typed clients send kube-sim
// (k8s.io/api and apimachinery generated.proto): `kubectl create namespace|deployment|service|pdb`
// and evictions. A field kube-sim does not list makes the decoder refuse the body rather than
// drop the field silently.

/** s string · i integer · z integer left out when 0 · b bool · ss repeated string · m map<string,string>
 *  ios IntOrString · time Timestamp · qm map<string,Quantity> · a message · [a] repeated message. */
export type FieldType = 's' | 'i' | 'z' | 'b' | 'ss' | 'm' | 'ios' | 'time' | 'qm' | MessageSchema | [MessageSchema];
export type MessageSchema = { [field: number]: [name: string, type: FieldType] };

const requirement: MessageSchema = { 1: ['key', 's'], 2: ['operator', 's'], 3: ['values', 'ss'] };
const labelSelector: MessageSchema = { 1: ['matchLabels', 'm'], 2: ['matchExpressions', [requirement]] };
const ownerReference: MessageSchema = { 1: ['kind', 's'], 3: ['name', 's'], 4: ['uid', 's'], 5: ['apiVersion', 's'], 6: ['controller', 'b'], 7: ['blockOwnerDeletion', 'b'] };

export const objectMeta: MessageSchema = {
  1: ['name', 's'],
  2: ['generateName', 's'],
  3: ['namespace', 's'],
  4: ['selfLink', 's'],
  5: ['uid', 's'],
  6: ['resourceVersion', 's'],
  7: ['generation', 'z'],
  8: ['creationTimestamp', 'time'],
  9: ['deletionTimestamp', 'time'],
  10: ['deletionGracePeriodSeconds', 'i'],
  11: ['labels', 'm'],
  12: ['annotations', 'm'],
  13: ['ownerReferences', [ownerReference]],
  14: ['finalizers', 'ss'],
};

const containerPort: MessageSchema = { 1: ['name', 's'], 2: ['hostPort', 'z'], 3: ['containerPort', 'i'], 4: ['protocol', 's'], 5: ['hostIP', 's'] };
const envVar: MessageSchema = { 1: ['name', 's'], 2: ['value', 's'] };
const resources: MessageSchema = { 1: ['limits', 'qm'], 2: ['requests', 'qm'] };
const container: MessageSchema = {
  1: ['name', 's'],
  2: ['image', 's'],
  3: ['command', 'ss'],
  4: ['args', 'ss'],
  5: ['workingDir', 's'],
  6: ['ports', [containerPort]],
  7: ['env', [envVar]],
  8: ['resources', resources],
  13: ['terminationMessagePath', 's'],
  14: ['imagePullPolicy', 's'],
  20: ['terminationMessagePolicy', 's'],
};
const podSpec: MessageSchema = {
  2: ['containers', [container]],
  3: ['restartPolicy', 's'],
  4: ['terminationGracePeriodSeconds', 'i'],
  6: ['dnsPolicy', 's'],
  7: ['nodeSelector', 'm'],
  8: ['serviceAccountName', 's'],
  10: ['nodeName', 's'],
  11: ['hostNetwork', 'b'],
  12: ['hostPID', 'b'],
  13: ['hostIPC', 'b'],
  16: ['hostname', 's'],
  17: ['subdomain', 's'],
  19: ['schedulerName', 's'],
};
const podTemplateSpec: MessageSchema = { 1: ['metadata', objectMeta], 2: ['spec', podSpec] };

const rollingUpdateDeployment: MessageSchema = { 1: ['maxUnavailable', 'ios'], 2: ['maxSurge', 'ios'] };
const deploymentSpec: MessageSchema = {
  1: ['replicas', 'i'],
  2: ['selector', labelSelector],
  3: ['template', podTemplateSpec],
  4: ['strategy', { 1: ['type', 's'], 2: ['rollingUpdate', rollingUpdateDeployment] }],
  5: ['minReadySeconds', 'z'],
  6: ['revisionHistoryLimit', 'i'],
  7: ['paused', 'b'],
  9: ['progressDeadlineSeconds', 'i'],
};

const servicePort: MessageSchema = { 1: ['name', 's'], 2: ['protocol', 's'], 3: ['port', 'i'], 4: ['targetPort', 'ios'], 5: ['nodePort', 'z'], 6: ['appProtocol', 's'] };
const serviceSpec: MessageSchema = {
  1: ['ports', [servicePort]],
  2: ['selector', 'm'],
  3: ['clusterIP', 's'],
  4: ['type', 's'],
  5: ['externalIPs', 'ss'],
  7: ['sessionAffinity', 's'],
  10: ['externalName', 's'],
  11: ['externalTrafficPolicy', 's'],
  18: ['clusterIPs', 'ss'],
  19: ['ipFamilies', 'ss'],
  17: ['ipFamilyPolicy', 's'],
  22: ['internalTrafficPolicy', 's'],
};

const pdbSpec: MessageSchema = { 1: ['minAvailable', 'ios'], 2: ['selector', labelSelector], 3: ['maxUnavailable', 'ios'], 4: ['unhealthyPodEvictionPolicy', 's'] };

export const deleteOptions: MessageSchema = {
  1: ['gracePeriodSeconds', 'i'],
  2: ['preconditions', { 1: ['uid', 's'], 2: ['resourceVersion', 's'] }],
  3: ['orphanDependents', 'b'],
  4: ['propagationPolicy', 's'],
  5: ['dryRun', 'ss'],
};

/** Top-level messages by kind: metadata, spec, status (status is never sent on create). */
export const TOP_LEVEL: Record<string, MessageSchema> = {
  Namespace: { 1: ['metadata', objectMeta], 2: ['spec', { 1: ['finalizers', 'ss'] }], 3: ['status', { 1: ['phase', 's'] }] },
  Deployment: { 1: ['metadata', objectMeta], 2: ['spec', deploymentSpec], 3: ['status', {}] },
  Service: { 1: ['metadata', objectMeta], 2: ['spec', serviceSpec], 3: ['status', { 1: ['loadBalancer', {}] }] },
  PodDisruptionBudget: { 1: ['metadata', objectMeta], 2: ['spec', pdbSpec], 3: ['status', {}] },
  Eviction: { 1: ['metadata', objectMeta], 2: ['deleteOptions', deleteOptions] },
  DeleteOptions: deleteOptions,
};
