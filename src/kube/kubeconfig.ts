// Which cluster, user and namespace a run talks to, decided the way kubectl decides it:
// --kubeconfig, else every existing file of $KUBECONFIG (missing ones ignored, first definition of a
// name wins), else ~/.kube/config, else the pod's service account. The caller passes the env map.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster, Context, User } from '@kubernetes/client-node';
// A deep import: the package entry would load the whole generated API, which the adapter does not use.
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { UsageError } from '../ops/errors.js';
import { dns1123LabelProblem } from '../util/names.js';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export type Env = Readonly<Record<string, string | undefined>>;

export interface KubeConfigOptions {
  /** --kubeconfig: one file, which must exist. */
  kubeconfig?: string;
  /** --context: must name a context of the loaded config. */
  context?: string;
  /** -n/--namespace. */
  namespace?: string;
  env: Env;
  /** --insecure-skip-tls-verify: do not verify the API server's certificate. */
  insecureSkipTlsVerify?: boolean;
  /** Where the service account's token, ca.crt and namespace are mounted (tests point elsewhere). */
  serviceAccountDir?: string;
  /** kubectl's overrides of the chosen context: --cluster, --user, --server, --token, --as. */
  overrides?: KubeConfigOverrides;
}

export interface KubeConfigOverrides {
  /** --cluster: a cluster of the kubeconfig instead of the context's. */
  cluster?: string;
  /** --user: a user (auth info) of the kubeconfig instead of the context's. */
  user?: string;
  /** --server: the API server's address instead of the cluster's. */
  server?: string;
  /** --token: a bearer token instead of the user's credentials. */
  token?: string;
  /** --as: the user to impersonate (Impersonate-User). */
  as?: string;
}

export interface LoadedKubeConfig {
  kc: KubeConfig;
  /** Where it came from: the files read, or `in-cluster service account`. */
  source: string;
  inCluster: boolean;
  contextName: string;
  clusterName: string;
  server: string;
  namespace: string;
}

/** Paths of $KUBECONFIG in order, missing files dropped (kubectl ignores them; client-node throws). */
export function existingKubeconfigFiles(list: string, delimiter = ':'): string[] {
  return [...new Set(list.split(delimiter).filter((file) => file.length > 0))].filter((file) => existsSync(file));
}

function loadFile(file: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(file);
  } catch (error) {
    throw new UsageError(`cannot read kubeconfig ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  return kc;
}

/** kubectl's merge: the first file to define a name (or current-context) wins. */
function mergeFiles(files: string[]): KubeConfig {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext = '';
  for (const file of files) {
    const kc = loadFile(file);
    for (const c of kc.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (!currentContext) currentContext = kc.getCurrentContext() ?? '';
  }
  const merged = new KubeConfig();
  merged.loadFromOptions({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext });
  return merged;
}

/** The pod's own service account, as client-go's rest.InClusterConfig builds it. */
function inClusterConfig(env: Env, dir: string): KubeConfig {
  const host = env.KUBERNETES_SERVICE_HOST!;
  const port = env.KUBERNETES_SERVICE_PORT || '443';
  const namespaceFile = join(dir, 'namespace');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'in-cluster', server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`, caFile: join(dir, 'ca.crt'), skipTLSVerify: false }],
    users: [{ name: 'service-account', authProvider: { name: 'tokenFile', config: { tokenFile: join(dir, 'token') } } }],
    contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'service-account', ...(existsSync(namespaceFile) ? { namespace: readNamespace(namespaceFile) } : {}) }],
    currentContext: 'in-cluster',
  });
  return kc;
}

function readNamespace(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

/** True inside a pod whose service account is mounted (KUBERNETES_SERVICE_HOST set, token present). */
export function isInCluster(env: Env, serviceAccountDir = SERVICE_ACCOUNT_DIR): boolean {
  return !!env.KUBERNETES_SERVICE_HOST && existsSync(join(serviceAccountDir, 'token'));
}

function chooseSource(options: KubeConfigOptions): { kc: KubeConfig; source: string; inCluster: boolean } {
  const { env } = options;
  if (options.kubeconfig) {
    if (!existsSync(options.kubeconfig)) throw new UsageError(`kubeconfig ${options.kubeconfig} does not exist`);
    return { kc: mergeFiles([options.kubeconfig]), source: options.kubeconfig, inCluster: false };
  }
  if (env.KUBECONFIG) {
    const files = existingKubeconfigFiles(env.KUBECONFIG);
    if (files.length === 0) {
      throw new UsageError(`none of the files in KUBECONFIG exist (${env.KUBECONFIG})`, 'set --kubeconfig or fix KUBECONFIG');
    }
    return { kc: mergeFiles(files), source: files.join(':'), inCluster: false };
  }
  const home = env.HOME ?? env.USERPROFILE;
  const defaultFile = home ? join(home, '.kube', 'config') : undefined;
  if (defaultFile && existsSync(defaultFile)) return { kc: mergeFiles([defaultFile]), source: defaultFile, inCluster: false };
  const serviceAccountDir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  if (isInCluster(env, serviceAccountDir)) {
    return { kc: inClusterConfig(env, serviceAccountDir), source: 'in-cluster service account', inCluster: true };
  }
  throw new UsageError('no kubeconfig found', 'pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, or run inside a pod with a service account');
}

export function loadKubeConfig(options: KubeConfigOptions): LoadedKubeConfig {
  const { kc, source, inCluster } = chooseSource(options);
  const contextNames = kc.getContexts().map((c) => c.name);
  if (options.context !== undefined) {
    if (!kc.getContextObject(options.context)) {
      throw new UsageError(
        `context "${options.context}" does not exist in ${source}`,
        contextNames.length > 0 ? `available contexts: ${contextNames.join(', ')}` : 'the kubeconfig defines no contexts',
      );
    }
    kc.setCurrentContext(options.context);
  }
  const contextName = kc.getCurrentContext();
  const context = contextName ? kc.getContextObject(contextName) : null;
  if (!context) {
    throw new UsageError(
      contextName ? `current context "${contextName}" does not exist in ${source}` : `no current context in ${source}`,
      contextNames.length > 0 ? `pass --context, one of: ${contextNames.join(', ')}` : 'the kubeconfig defines no contexts',
    );
  }
  applyOverrides(kc, contextName, options.overrides ?? {}, source);
  const effective = kc.getContextObject(contextName)!;
  const cluster = kc.getCluster(effective.cluster);
  if (!cluster) throw new UsageError(`context "${contextName}" names cluster "${effective.cluster}", which ${source} does not define`);
  if (options.insecureSkipTlsVerify) {
    const clusters = kc.getClusters().map((c) => (c.name === cluster.name ? { ...c, skipTLSVerify: true, caData: undefined, caFile: undefined } : c));
    kc.loadFromOptions({ clusters, users: kc.getUsers(), contexts: kc.getContexts(), currentContext: contextName });
  }
  const namespace = options.namespace ?? (context.namespace || 'default');
  const problem = dns1123LabelProblem(namespace);
  if (problem) throw new UsageError(`invalid namespace ${JSON.stringify(namespace)}: ${problem}`);
  return { kc, source, inCluster, contextName, clusterName: cluster.name, server: cluster.server, namespace };
}

/**
 * kubectl's --cluster, --user, --server, --token and --as, applied to the current context the way
 * kubectl applies them: the names must exist in the kubeconfig; --server and --token replace the
 * address and the credentials; --as asks the API server to act as another user.
 */
function applyOverrides(kc: KubeConfig, contextName: string, o: KubeConfigOverrides, source: string): void {
  if (Object.values(o).every((value) => value === undefined)) return;
  const context = kc.getContextObject(contextName)!;
  const clusterName = o.cluster ?? context.cluster;
  const userName = o.user ?? context.user;
  const cluster = kc.getCluster(clusterName);
  if (!cluster && o.server === undefined) {
    throw new UsageError(`cluster "${clusterName}" does not exist in ${source}`, `available clusters: ${kc.getClusters().map((c) => c.name).join(', ') || 'none'}`);
  }
  const user = kc.getUser(userName);
  if (!user && o.user !== undefined) {
    throw new UsageError(`user "${userName}" does not exist in ${source}`, `available users: ${kc.getUsers().map((u) => u.name).join(', ') || 'none'}`);
  }
  if (o.server !== undefined && !/^https?:\/\/[^\s/]+/.test(o.server)) throw new UsageError(`--server: "${o.server}" is not an http(s) URL such as https://10.0.0.1:6443`);
  const newCluster: Cluster = { ...(cluster ?? { name: clusterName, skipTLSVerify: false }), name: clusterName, ...(o.server !== undefined ? { server: o.server } : {}) } as Cluster;
  const baseUser: User = user ?? { name: userName || 'conduitctl-override' };
  const newUser: User = {
    ...(o.token !== undefined ? { name: baseUser.name, token: o.token } : baseUser),
    ...(o.as !== undefined ? { impersonateUser: o.as } : {}),
  } as User;
  const clusters = [...kc.getClusters().filter((c) => c.name !== newCluster.name), newCluster];
  const users = [...kc.getUsers().filter((u) => u.name !== newUser.name), newUser];
  const contexts = kc.getContexts().map((c) => (c.name === contextName ? { ...c, cluster: newCluster.name, user: newUser.name } : c));
  kc.loadFromOptions({ clusters, users, contexts, currentContext: contextName });
}
