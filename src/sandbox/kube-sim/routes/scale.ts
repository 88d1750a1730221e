// statefulsets/{name}/scale: the autoscaling/v1 Scale view of a StatefulSet's replicas.

import { readJson, sendJson } from '../http.js';
import { applyPatch, patchTypeOf } from '../patch.js';
import { formatLabelSelector } from '../selectors.js';
import { badRequest, conflict, invalid, methodNotAllowed } from '../status.js';
import type { KubeObject } from '../store.js';
import { typeByKind } from '../resources.js';
import { replicasProblems } from '../validation.js';
import { isDryRun, type RouteContext } from './context.js';

function scaleOf(sts: KubeObject): KubeObject {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = sts.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: sts.spec?.replicas ?? 0 },
    status: { replicas: sts.status?.replicas ?? 0, selector: formatLabelSelector(sts.spec?.selector) },
  };
}

/** Writes the replicas of a (PUT or patched) Scale, honouring its resourceVersion as a precondition. */
function writeScale(ctx: RouteContext, sts: KubeObject, scale: KubeObject): KubeObject {
  const name = sts.metadata.name!;
  const expected = scale.metadata?.resourceVersion;
  if (expected && expected !== sts.metadata.resourceVersion) throw conflict(typeByKind('StatefulSet'), name);
  const replicas = scale.spec?.replicas;
  const problems = replicasProblems('spec.replicas', replicas);
  if (problems.length > 0) throw invalid('Scale', 'autoscaling', name, problems);
  const next = { ...sts, spec: { ...sts.spec, replicas: replicas ?? 0 } };
  return scaleOf(ctx.store.update('StatefulSet', next, { scope: 'main', dryRun: isDryRun(ctx.url) }));
}

export async function serveScale(ctx: RouteContext): Promise<void> {
  const { info, store } = ctx;
  const sts = store.require('StatefulSet', info.namespace, info.name!);
  switch (info.verb) {
    case 'get':
      return sendJson(ctx.res, 200, scaleOf(sts));
    case 'update': {
      const body = (await readJson(ctx.req)) as KubeObject | undefined;
      if (!body || typeof body !== 'object') throw badRequest('the request body must be a Scale object');
      if (body.metadata?.name && body.metadata.name !== sts.metadata.name) {
        throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${sts.metadata.name})`);
      }
      return sendJson(ctx.res, 200, writeScale(ctx, sts, { ...body, metadata: body.metadata ?? {} }));
    }
    case 'patch': {
      const type = patchTypeOf(ctx.req.headers['content-type']);
      const body = await readJson(ctx.req);
      const patched = applyPatch(scaleOf(sts), type, body) as KubeObject;
      return sendJson(ctx.res, 200, writeScale(ctx, sts, { ...patched, metadata: patched.metadata ?? {} }));
    }
    default:
      throw methodNotAllowed();
  }
}
