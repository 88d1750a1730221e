// The Table columns the API server defines per kind (kubernetes pkg/printers/internalversion/
// printers.go, v1.32): same names, types, formats and priorities, so kubectl lays them out as it
// does against a cluster. Priority 1 columns appear with `-o wide`.

export interface ColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const AGE_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';
const CONTAINERS_DOC = 'Names of each container in the template.';
const IMAGES_DOC = 'Images referenced by each container in the template.';

type Spec = [name: string, type?: ColumnDefinition['type'], priority?: number, description?: string];

function columns(...specs: Spec[]): ColumnDefinition[] {
  return specs.map(([name, type = 'string', priority = 0, description = '']) => ({
    name,
    type,
    format: name === 'Name' ? 'name' : '',
    description: name === 'Name' ? NAME_DOC : name === 'Age' ? AGE_DOC : description,
    priority,
  }));
}

export const COLUMNS: Record<string, ColumnDefinition[]> = {
  Pod: columns(
    ['Name'],
    ['Ready', 'string', 0, 'The aggregate readiness state of this pod for accepting traffic.'],
    ['Status', 'string', 0, 'The aggregate status of the containers in this pod.'],
    ['Restarts', 'string', 0, 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'],
    ['Age'],
    ['IP', 'string', 1, 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'],
    ['Node', 'string', 1, 'NodeName indicates in which node this pod is scheduled.'],
    ['Nominated Node', 'string', 1, 'nominatedNodeName is set only when this pod preempts other pods on the node.'],
    ['Readiness Gates', 'string', 1, 'If specified, all readiness gates will be evaluated for pod readiness.'],
  ),
  Service: columns(
    ['Name'],
    ['Type', 'string', 0, 'type determines how the Service is exposed.'],
    ['Cluster-IP', 'string', 0, 'clusterIP is the IP address of the service and is usually assigned randomly.'],
    ['External-IP', 'string', 0, 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'],
    ['Port(s)', 'string', 0, 'The list of ports that are exposed by this service.'],
    ['Age'],
    ['Selector', 'string', 1, 'Route service traffic to pods with label keys and values matching this selector.'],
  ),
  StatefulSet: columns(['Name'], ['Ready', 'string', 0, 'Number of the pod with ready state'], ['Age'], ['Containers', 'string', 1, CONTAINERS_DOC], ['Images', 'string', 1, IMAGES_DOC]),
  ControllerRevision: columns(['Name'], ['Controller', 'string', 0, 'Controller of the object'], ['Revision', 'string', 0, 'Revision indicates the revision of the state represented by Data.'], ['Age']),
  Endpoints: columns(['Name'], ['Endpoints', 'string', 0, 'The set of all endpoints is the union of all subsets.'], ['Age']),
  EndpointSlice: columns(
    ['Name'],
    ['AddressType', 'string', 0, 'addressType specifies the type of address carried by this EndpointSlice.'],
    ['Ports', 'string', 0, 'ports specifies the list of network ports exposed by each endpoint in this slice.'],
    ['Endpoints', 'string', 0, 'endpoints is a list of unique endpoints in this slice.'],
    ['Age'],
  ),
  Lease: columns(['Name'], ['Holder', 'string', 0, 'holderIdentity contains the identity of the holder of a current lease.'], ['Age']),
  Deployment: columns(
    ['Name'],
    ['Ready', 'string', 0, 'Number of the pod with ready state'],
    ['Up-to-date', 'string', 0, 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'],
    ['Available', 'string', 0, 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'],
    ['Age'],
    ['Containers', 'string', 1, CONTAINERS_DOC],
    ['Images', 'string', 1, IMAGES_DOC],
    ['Selector', 'string', 1, 'Label selector for pods.'],
  ),
  ReplicaSet: columns(
    ['Name'],
    ['Desired', 'integer', 0, 'Replicas is the number of desired replicas.'],
    ['Current', 'integer', 0, 'Replicas is the most recently observed number of replicas.'],
    ['Ready', 'integer', 0, 'The number of ready replicas for this replica set.'],
    ['Age'],
    ['Containers', 'string', 1, CONTAINERS_DOC],
    ['Images', 'string', 1, IMAGES_DOC],
    ['Selector', 'string', 1, 'Selector is a label query over pods that should match the replica count.'],
  ),
  Event: columns(
    ['Last Seen', 'string', 0, 'The time at which the most recent occurrence of this event was recorded.'],
    ['Type', 'string', 0, 'Type of this event (Normal, Warning), new types could be added in the future'],
    ['Reason', 'string', 0, "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."],
    ['Object', 'string', 0, 'The object that this event is about.'],
    ['Subobject', 'string', 1, 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.'],
    ['Source', 'string', 1, 'The component reporting this event. Should be a short machine understandable string.'],
    ['Message', 'string', 0, 'A human-readable description of the status of this operation.'],
    ['First Seen', 'string', 1, 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'],
    ['Count', 'string', 1, 'The number of times this event has occurred.'],
    ['Name', 'string', 1],
  ),
  Namespace: columns(['Name'], ['Status', 'string', 0, 'The status of the namespace'], ['Age']),
  PodDisruptionBudget: columns(
    ['Name'],
    ['Min Available', 'string', 0, 'The minimum number of pods that must be available.'],
    ['Max Unavailable', 'string', 0, 'The maximum number of pods that may be unavailable.'],
    ['Allowed Disruptions', 'integer', 0, 'Calculated number of pods that may be disrupted at this time.'],
    ['Age'],
  ),
  HorizontalPodAutoscaler: columns(
    ['Name'],
    ['Reference', 'string', 0, 'scaleTargetRef points to the target resource to scale.'],
    ['Targets', 'string', 0, 'metrics contains the specifications for which to use to calculate the desired replica count.'],
    ['MinPods', 'string', 0, 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'],
    ['MaxPods', 'string', 0, 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'],
    ['Replicas', 'string', 0, 'currentReplicas is current number of replicas of pods managed by this autoscaler.'],
    ['Age'],
  ),
};

/** What the API server answers for kinds without a printer: NAME and the creation time. */
export const DEFAULT_COLUMNS: ColumnDefinition[] = columns(['Name'], ['Created At', 'date', 0, AGE_DOC]);
