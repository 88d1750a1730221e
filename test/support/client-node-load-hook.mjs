// `node --import ./client-node-load-hook.mjs`: appends to $CLIENT_NODE_LOG the URL of every module
// loaded that holds the Kubernetes client's generated API (a string only client-node's CoreV1Api has).
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  const result = await next(url, context);
  if (result.source && String(result.source).includes('connectDeleteNamespacedPodProxy')) appendFileSync(process.env.CLIENT_NODE_LOG, url + '\\n');
  return result;
}`)}`,
);
