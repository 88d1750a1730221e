// `node --import ./client-node-load-hook.mjs`: appends to $CLIENT_NODE_LOG the URL of every module
// loaded that holds the Kubernetes client (a method name only client-node's KubeConfig has: the
// bundle carries KubeConfig, not the generated API, since issue 11).
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  const result = await next(url, context);
  if (result.source && String(result.source).includes('makePathsAbsolute')) appendFileSync(process.env.CLIENT_NODE_LOG, url + '\\n');
  return result;
}`)}`,
);
