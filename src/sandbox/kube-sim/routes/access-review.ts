// POST selfsubjectaccessreviews: answers "may I?" from the deny rules, without side effects.

import type { ResourceAttributes } from '../authz.js';
import { readBody, sendJson } from '../http.js';
import { decodeSelfSubjectAccessReview, PROTOBUF_CONTENT_TYPE, unwrapEnvelope } from '../protobuf.js';
import { badRequest, methodNotAllowed } from '../status.js';
import type { IncomingMessage } from 'node:http';
import type { RouteContext } from './context.js';

interface AccessReview {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
  spec?: { resourceAttributes?: Partial<ResourceAttributes>; nonResourceAttributes?: { path?: string; verb?: string } };
}

async function readReview(req: IncomingMessage): Promise<AccessReview | undefined> {
  const body = await readBody(req);
  if ((req.headers['content-type'] ?? '').startsWith(PROTOBUF_CONTENT_TYPE)) return decodeSelfSubjectAccessReview(unwrapEnvelope(body).raw);
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as AccessReview;
  } catch (error) {
    throw badRequest(`error decoding request body: ${(error as Error).message}`);
  }
}

export async function serveAccessReview(ctx: RouteContext): Promise<void> {
  if (ctx.info.verb !== 'create') throw methodNotAllowed();
  const review = await readReview(ctx.req);
  if (!review?.spec || (!review.spec.resourceAttributes && !review.spec.nonResourceAttributes)) {
    throw badRequest('SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified');
  }
  let allowed = true;
  const attrs = review.spec.resourceAttributes;
  if (attrs) {
    allowed = ctx.authorizer.allowed({
      verb: attrs.verb ?? '',
      group: attrs.group ?? '',
      resource: attrs.resource ?? '',
      ...(attrs.subresource ? { subresource: attrs.subresource } : {}),
      ...(attrs.name ? { name: attrs.name } : {}),
      ...(attrs.namespace ? { namespace: attrs.namespace } : {}),
    });
  }
  const status = allowed ? { allowed: true, reason: 'allowed by kube-sim' } : { allowed: false };
  sendJson(ctx.res, 201, {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null, ...(review.metadata ?? {}) },
    spec: review.spec,
    status,
  });
}
