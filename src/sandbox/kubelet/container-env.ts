// A container's environment as the kubelet builds it: the node's base variables, the container's
// `env` (literal values and the downward API's fieldRef), and POD_NAME / POD_IP / POD_NAMESPACE.
import type { JsonMap, KubeObject } from '../kube-sim/store.js';

export type Environment = Record<string, string>;

function fieldValue(pod: KubeObject, podIP: string, path: string): string {
  const label = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (label) return (pod.metadata[label[1] as 'labels' | 'annotations'] as Record<string, string> | undefined)?.[label[2]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'status.podIP':
      return podIP;
    case 'status.hostIP':
      return '127.0.0.1';
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? 'default';
    default:
      return '';
  }
}

/** $(VAR) references in env values and args expand to earlier variables; $$ escapes, as in Kubernetes. */
export function expandReferences(text: string, env: Environment): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name: string | undefined) => {
    if (name === undefined) return '$';
    return name in env ? env[name]! : whole;
  });
}

export function containerEnvironment(pod: KubeObject, container: JsonMap, podIP: string, base: Environment): Environment {
  const env: Environment = {
    ...base,
    POD_NAME: pod.metadata.name ?? '',
    POD_NAMESPACE: pod.metadata.namespace ?? '',
    POD_IP: podIP,
    HOSTNAME: pod.spec?.hostname ?? pod.metadata.name ?? '',
  };
  for (const entry of (container.env ?? []) as JsonMap[]) {
    if (typeof entry.name !== 'string') continue;
    if (typeof entry.value === 'string') env[entry.name] = expandReferences(entry.value, env);
    else if (entry.valueFrom?.fieldRef?.fieldPath) env[entry.name] = fieldValue(pod, podIP, entry.valueFrom.fieldRef.fieldPath);
  }
  return env;
}
