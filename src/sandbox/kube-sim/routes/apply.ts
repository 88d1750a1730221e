// Server-side apply (`kubectl apply --server-side`, PATCH application/apply-patch+yaml): creates
// the object when it is missing, otherwise merges the applied configuration into it as a
// strategic merge patch. kube-sim keeps no managedFields: fields a later apply leaves out stay,
// and there are no conflicts between managers.
import { readBody, sendJson } from '../http.js';
import { validateFields } from '../openapi/field-validation.js';
import type { ResourceType } from '../resources.js';
import { ApiError, badRequest } from '../status.js';
import type { KubeObject, WriteScope } from '../store.js';
import { isDryRun, type RouteContext } from './context.js';

export const APPLY_PATCH_CONTENT_TYPE = 'application/apply-patch+yaml';

export async function serveApply(ctx: RouteContext, type: ResourceType, name: string, scope: WriteScope): Promise<void> {
  const { url, res, store, info } = ctx;
  if (!url.searchParams.get('fieldManager')) {
    throw new ApiError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
      group: 'meta.k8s.io',
      kind: 'PatchOptions',
      causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
    });
  }
  let applied: KubeObject;
  try {
    // kubectl sends the configuration as JSON, which is YAML too.
    applied = JSON.parse((await readBody(ctx.req)).toString('utf8')) as KubeObject;
  } catch (error) {
    throw new ApiError(415, 'UnsupportedMediaType', `kube-sim reads apply configurations written as JSON: ${(error as Error).message}`);
  }
  if (applied === null || typeof applied !== 'object' || Array.isArray(applied)) throw badRequest('the apply configuration must be an object');
  validateFields(url, res, type, applied);
  applied.metadata = { ...(applied.metadata ?? {}), name };
  const dryRun = isDryRun(url);
  const current = store.get(type.kind, info.namespace, name);
  if (!current) {
    if (type.namespaced) applied.metadata.namespace = info.namespace;
    return sendJson(res, 201, store.create(type.kind, applied, { dryRun }));
  }
  const { apiVersion: _a, kind: _k, ...patch } = applied;
  return sendJson(res, 200, store.patch(type.kind, info.namespace, name, 'strategic', patch, { scope, dryRun }));
}
