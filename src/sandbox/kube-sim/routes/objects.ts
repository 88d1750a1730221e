// Create/get/list/update/patch/delete (and the /status subresource) for every stored type.

import { readJson, sendJson } from '../http.js';
import { patchTypeOf } from '../patch.js';
import { apiVersionOf, type ResourceType } from '../resources.js';
import { ApiError, badRequest, methodNotAllowed } from '../status.js';
import type { DeleteOptions, KubeObject, WriteScope } from '../store.js';
import { validateFields } from '../openapi/field-validation.js';
import { tableVersionOf, toTable } from '../tables/table.js';
import { isDryRun, type RouteContext } from './context.js';
import { APPLY_PATCH_CONTENT_TYPE, serveApply } from './apply.js';
import { serveWatch } from './watch.js';

function listSelector(url: URL) {
  const labelSelector = url.searchParams.get('labelSelector') ?? undefined;
  const fieldSelector = url.searchParams.get('fieldSelector') ?? undefined;
  return { ...(labelSelector ? { labelSelector } : {}), ...(fieldSelector ? { fieldSelector } : {}) };
}

function bodyObject(body: unknown): KubeObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the request body must be a JSON object');
  const obj = body as KubeObject;
  obj.metadata = obj.metadata ?? {};
  return obj;
}

/** Paged list: `continue` is the offset into the sorted result, as an opaque token. */
function serveList(ctx: RouteContext, type: ResourceType): void {
  const { items, resourceVersion } = ctx.store.list(type.kind, ctx.info.namespace, listSelector(ctx.url));
  const limit = Number(ctx.url.searchParams.get('limit') ?? '0');
  const token = ctx.url.searchParams.get('continue');
  let start = 0;
  if (token) {
    start = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw badRequest('continue key is not valid');
  }
  const end = limit > 0 ? start + limit : items.length;
  const metadata: Record<string, unknown> = { resourceVersion };
  if (end < items.length) {
    metadata.continue = Buffer.from(String(end), 'utf8').toString('base64url');
    metadata.remainingItemCount = items.length - end;
  }
  const table = tableVersionOf(ctx.req.headers.accept);
  if (table) return sendJson(ctx.res, 200, toTable(type.kind, items.slice(start, end), { version: table, url: ctx.url, listMeta: metadata }));
  const page = items.slice(start, end).map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest);
  sendJson(ctx.res, 200, { kind: `${type.kind}List`, apiVersion: apiVersionOf(type), metadata, items: page });
}

type Propagation = 'Orphan' | 'Background' | 'Foreground';

async function deleteOptions(ctx: RouteContext): Promise<DeleteOptions & { propagation: Propagation }> {
  const body = (await readJson(ctx.req)) as
    | { gracePeriodSeconds?: number; preconditions?: DeleteOptions['preconditions']; propagationPolicy?: string; orphanDependents?: boolean }
    | undefined;
  const policy = body?.propagationPolicy ?? ctx.url.searchParams.get('propagationPolicy') ?? (body?.orphanDependents ? 'Orphan' : 'Background');
  if (!['Orphan', 'Background', 'Foreground'].includes(policy)) {
    throw new ApiError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  const fromQuery = ctx.url.searchParams.get('gracePeriodSeconds');
  const grace = body?.gracePeriodSeconds ?? (fromQuery !== null ? Number(fromQuery) : undefined);
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) throw badRequest(`invalid gracePeriodSeconds: ${grace}`);
  return {
    ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
    ...(body?.preconditions ? { preconditions: body.preconditions } : {}),
    dryRun: isDryRun(ctx.url),
    propagation: policy as Propagation,
  };
}

/**
 * Orphan and Foreground deletions are finalizers the garbage collector acts on (the API server
 * adds them with the deletion); Background needs nothing: the collector sees the owner go.
 */
function markPropagation(ctx: RouteContext, type: ResourceType, name: string, options: { propagation: Propagation; dryRun?: boolean }): void {
  if (options.propagation === 'Background' || options.dryRun || type.kind === 'Pod' || type.kind === 'Namespace') return;
  const finalizer = options.propagation === 'Orphan' ? 'orphan' : 'foregroundDeletion';
  ctx.store.mutate(type.kind, ctx.info.namespace, name, (obj) => {
    obj.metadata.finalizers = [...new Set([...(obj.metadata.finalizers ?? []), finalizer])];
  });
}

export async function serveObjects(ctx: RouteContext, type: ResourceType): Promise<void> {
  const { info, store, url, req, res } = ctx;
  const ns = info.namespace;
  const dryRun = isDryRun(url);
  if (type.namespaced && ns === undefined && info.name !== undefined) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');

  if (info.name === undefined) {
    switch (info.verb) {
      case 'list':
        return serveList(ctx, type);
      case 'watch':
        return serveWatch(ctx, type, undefined);
      case 'create': {
        const obj = bodyObject(await readJson(req));
        validateFields(url, res, type, obj);
        if (type.namespaced) {
          if (obj.metadata.namespace && obj.metadata.namespace !== ns) {
            throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
          }
          if (ns === undefined) throw methodNotAllowed();
          obj.metadata.namespace = ns;
        }
        return sendJson(res, 201, store.create(type.kind, obj, { dryRun }));
      }
      case 'deletecollection': {
        const options = await deleteOptions(ctx);
        const { items } = store.list(type.kind, ns, listSelector(url));
        const deleted = items.map((o) => store.delete(type.kind, o.metadata.namespace, o.metadata.name!, options).object);
        return sendJson(res, 200, { kind: `${type.kind}List`, apiVersion: apiVersionOf(type), metadata: { resourceVersion: store.resourceVersion }, items: deleted });
      }
      default:
        throw methodNotAllowed();
    }
  }

  const name = info.name;
  const sub = info.subresource;
  if (sub !== undefined && sub !== 'status') throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  const scope: WriteScope = sub === 'status' ? 'status' : 'main';
  switch (info.verb) {
    case 'get': {
      const obj = store.require(type.kind, ns, name);
      const table = sub === undefined ? tableVersionOf(req.headers.accept) : undefined;
      if (table) return sendJson(res, 200, toTable(type.kind, [obj], { version: table, url, listMeta: { resourceVersion: obj.metadata.resourceVersion } }));
      return sendJson(res, 200, obj);
    }
    case 'watch':
      return serveWatch(ctx, type, name);
    case 'update': {
      const obj = bodyObject(await readJson(req));
      validateFields(url, res, type, obj);
      if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
        throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
      }
      if (type.namespaced && obj.metadata.namespace && obj.metadata.namespace !== ns) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata = { ...obj.metadata, name, ...(type.namespaced ? { namespace: ns } : {}) };
      return sendJson(res, 200, store.update(type.kind, obj, { scope, dryRun }));
    }
    case 'patch': {
      if (req.headers['content-type']?.startsWith(APPLY_PATCH_CONTENT_TYPE)) return serveApply(ctx, type, name, scope);
      const patchType = patchTypeOf(req.headers['content-type']);
      const body = await readJson(req);
      if (body === undefined) throw badRequest('the request body of a PATCH must not be empty');
      if (patchType !== 'json') validateFields(url, res, type, body);
      return sendJson(res, 200, store.patch(type.kind, ns, name, patchType, body, { scope, dryRun }));
    }
    case 'delete': {
      if (sub !== undefined) throw methodNotAllowed();
      const options = await deleteOptions(ctx);
      // Preconditions first (a dry run): a refused deletion must not leave a finalizer behind.
      store.delete(type.kind, ns, name, { ...options, dryRun: true });
      markPropagation(ctx, type, name, options);
      const { object } = store.delete(type.kind, ns, name, options);
      return sendJson(res, 200, object);
    }
    default:
      throw methodNotAllowed();
  }
}
