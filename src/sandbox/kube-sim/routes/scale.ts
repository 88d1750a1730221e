// <workload>/{name}/scale: the autoscaling/v1 Scale view of a StatefulSet's, Deployment's or
// ReplicaSet's replicas.

import { readJson, sendJson } from '../http.js';
import { applyPatch, patchTypeOf } from '../patch.js';
import { formatLabelSelector } from '../selectors.js';
import { badRequest, conflict, invalid, methodNotAllowed } from '../status.js';
import type { KubeObject } from '../store.js';
import type { ResourceType } from '../resources.js';
import { replicasProblems } from '../validation.js';
import { isDryRun, type RouteContext } from './context.js';

function scaleOf(workload: KubeObject): KubeObject {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = workload.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: workload.spec?.replicas ?? 0 },
    status: { replicas: workload.status?.replicas ?? 0, selector: formatLabelSelector(workload.spec?.selector) },
  };
}

/** Writes the replicas of a (PUT or patched) Scale, honouring its resourceVersion as a precondition. */
function writeScale(ctx: RouteContext, type: ResourceType, workload: KubeObject, scale: KubeObject): KubeObject {
  const name = workload.metadata.name!;
  const expected = scale.metadata?.resourceVersion;
  if (expected && expected !== workload.metadata.resourceVersion) throw conflict(type, name);
  const replicas = scale.spec?.replicas;
  const problems = replicasProblems('spec.replicas', replicas);
  if (problems.length > 0) throw invalid('Scale', 'autoscaling', name, problems);
  const next = { ...workload, spec: { ...workload.spec, replicas: replicas ?? 0 } };
  return scaleOf(ctx.store.update(type.kind, next, { scope: 'main', dryRun: isDryRun(ctx.url) }));
}

export async function serveScale(ctx: RouteContext, type: ResourceType): Promise<void> {
  const { info, store } = ctx;
  const workload = store.require(type.kind, info.namespace, info.name!);
  switch (info.verb) {
    case 'get':
      return sendJson(ctx.res, 200, scaleOf(workload));
    case 'update': {
      const body = (await readJson(ctx.req)) as KubeObject | undefined;
      if (!body || typeof body !== 'object') throw badRequest('the request body must be a Scale object');
      if (body.metadata?.name && body.metadata.name !== workload.metadata.name) {
        throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${workload.metadata.name})`);
      }
      return sendJson(ctx.res, 200, writeScale(ctx, type, workload, { ...body, metadata: body.metadata ?? {} }));
    }
    case 'patch': {
      const patchType = patchTypeOf(ctx.req.headers['content-type']);
      const body = await readJson(ctx.req);
      const patched = applyPatch(scaleOf(workload), patchType, body) as KubeObject;
      return sendJson(ctx.res, 200, writeScale(ctx, type, workload, { ...patched, metadata: patched.metadata ?? {} }));
    }
    default:
      throw methodNotAllowed();
  }
}
