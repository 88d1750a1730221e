// A kubeconfig for kube-sim: one cluster/user/context, the CA embedded, the bearer token.

import { chmod, writeFile } from 'node:fs/promises';
import YAML from 'yaml';

export interface KubeconfigOptions {
  /** Name of the cluster, user and context (default "conduit-sandbox"). */
  context?: string;
  namespace?: string;
}

export function renderKubeconfig(server: string, caPem: string, token: string, options: KubeconfigOptions = {}): string {
  const name = options.context ?? 'conduit-sandbox';
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name, ...(options.namespace ? { namespace: options.namespace } : {}) } }],
    'current-context': name,
    preferences: {},
  });
}

/** Writes the kubeconfig with mode 0600 (it holds a credential). */
export async function writeKubeconfigFile(path: string, content: string): Promise<void> {
  await writeFile(path, content, { mode: 0o600 });
  await chmod(path, 0o600);
}
