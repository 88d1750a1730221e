// POST pods/{name}/eviction: delete a pod unless that would break its PodDisruptionBudget.

import { budgetsFor, computeBudget, isHealthy } from '../disruption.js';
import { readJson, sendJson } from '../http.js';
import { ApiError, badRequest, methodNotAllowed, successStatus } from '../status.js';
import { isDryRun, type RouteContext } from './context.js';

interface Eviction {
  metadata?: { name?: string; namespace?: string };
  deleteOptions?: { gracePeriodSeconds?: number; preconditions?: { uid?: string; resourceVersion?: string } };
}

/** A pod that is already going (or never ran) can be evicted whatever the budget says. */
function ignoresBudget(pod: { status?: { phase?: string }; metadata: { deletionTimestamp?: string } }): boolean {
  const phase = pod.status?.phase;
  return pod.metadata.deletionTimestamp !== undefined || phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending';
}

export async function serveEviction(ctx: RouteContext): Promise<void> {
  const { store, info } = ctx;
  if (info.verb !== 'create') throw methodNotAllowed();
  const name = info.name!;
  const eviction = ((await readJson(ctx.req)) ?? {}) as Eviction;
  if (eviction.metadata?.name && eviction.metadata.name !== name) throw badRequest(`name in URL does not match name in Eviction object`);
  const pod = store.require('Pod', info.namespace, name);

  if (!ignoresBudget(pod)) {
    const budgets = budgetsFor(store, pod);
    if (budgets.length > 1) {
      throw new ApiError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    }
    const pdb = budgets[0];
    if (pdb) {
      const state = computeBudget(store, pdb);
      const unhealthyButBudgetMet = !isHealthy(pod) && state.currentHealthy >= state.desiredHealthy;
      if (!unhealthyButBudgetMet && state.disruptionsAllowed <= 0) {
        throw new ApiError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
          causes: [
            {
              reason: 'DisruptionBudget',
              message: `The disruption budget ${pdb.metadata.name} needs ${state.desiredHealthy} healthy pods and has ${state.currentHealthy} currently`,
            },
          ],
        });
      }
    }
  }
  const options = eviction.deleteOptions ?? {};
  store.delete('Pod', info.namespace, name, {
    ...(options.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: options.gracePeriodSeconds } : {}),
    ...(options.preconditions ? { preconditions: options.preconditions } : {}),
    dryRun: isDryRun(ctx.url),
  });
  sendJson(ctx.res, 201, successStatus(201));
}
