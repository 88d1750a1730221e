// Test controls, off the API's path: injected faults, RBAC deny rules, the request log and direct
// store access. KubeSimControls is the in-process API; serveControl exposes the same over a
// plain-HTTP loopback listener (the "control port") for tests that run kube-sim as a process.
//
//   GET    /requests[?mutating=true]      DELETE /requests
//   GET    /faults    POST /faults (FaultSpec)          DELETE /faults    DELETE /faults/{id}
//   GET    /rbac/deny POST /rbac/deny (DenyRule)        DELETE /rbac/deny
//   GET    /objects/{kind}[?namespace=]                  list
//   GET    /objects/{kind}/{name}[?namespace=]           one object
//   PUT    /objects/{kind}            (object)           create or replace, no precondition
//   PATCH  /objects/{kind}/{name}[?namespace=] (merge patch, status included)
//   DELETE /objects/{kind}/{name}[?namespace=][&gracePeriodSeconds=]   delete as the API would
//   POST   /objects/{kind}/{name}/finalize[?namespace=]                 remove for good
// {kind} is a Kind ("Pod") or a plural ("pods").

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Authorizer, DenyRule } from './authz.js';
import type { Fault, FaultInjector, FaultSpec } from './faults.js';
import { readJson, sendError, sendJson } from './http.js';
import type { RequestLog, RequestLogEntry } from './request-log.js';
import { RESOURCE_TYPES } from './resources.js';
import { ApiError, badRequest } from './status.js';
import type { KubeObject, KubeStore } from './store.js';

export class KubeSimControls {
  constructor(
    readonly store: KubeStore,
    private readonly faults: FaultInjector,
    private readonly authorizer: Authorizer,
    private readonly log: RequestLog,
  ) {}

  addFault(spec: FaultSpec): Fault {
    return this.faults.add(spec);
  }
  removeFault(id: string): boolean {
    return this.faults.remove(id);
  }
  clearFaults(): void {
    this.faults.clear();
  }
  listFaults(): Fault[] {
    return this.faults.list();
  }

  deny(rule: DenyRule): void {
    this.authorizer.deny(rule);
  }
  clearDenyRules(): void {
    this.authorizer.clear();
  }
  denyRules(): DenyRule[] {
    return this.authorizer.list();
  }

  requestLog(): RequestLogEntry[] {
    return this.log.list();
  }
  /** POST/PUT/PATCH/DELETE requests other than SelfSubjectAccessReview. */
  mutatingRequests(): RequestLogEntry[] {
    return this.log.mutating();
  }
  clearRequestLog(): void {
    this.log.clear();
  }
}

function kindOf(name: string): string {
  const type = RESOURCE_TYPES.find((t) => t.kind === name || t.plural === name || t.kind.toLowerCase() === name);
  if (!type) throw badRequest(`unknown kind "${name}"`);
  return type.kind;
}

async function route(controls: KubeSimControls, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://control.invalid');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const method = req.method ?? 'GET';
  const ns = url.searchParams.get('namespace') ?? undefined;
  const store = controls.store;
  const at = `${method} /${parts[0] ?? ''}`;

  if (at === 'GET /requests') {
    return sendJson(res, 200, url.searchParams.get('mutating') === 'true' ? controls.mutatingRequests() : controls.requestLog());
  }
  if (at === 'DELETE /requests') return sendJson(res, 200, (controls.clearRequestLog(), {}));
  if (at === 'GET /faults') return sendJson(res, 200, controls.listFaults());
  if (at === 'POST /faults') return sendJson(res, 201, controls.addFault((await readJson(req)) as FaultSpec));
  if (at === 'DELETE /faults') {
    if (parts[1]) return sendJson(res, controls.removeFault(parts[1]) ? 200 : 404, {});
    return sendJson(res, 200, (controls.clearFaults(), {}));
  }
  if (parts[0] === 'rbac' && parts[1] === 'deny') {
    if (method === 'GET') return sendJson(res, 200, controls.denyRules());
    if (method === 'POST') return sendJson(res, 201, (controls.deny((await readJson(req)) as DenyRule), {}));
    if (method === 'DELETE') return sendJson(res, 200, (controls.clearDenyRules(), {}));
  }
  if (parts[0] === 'objects' && parts[1]) {
    const kind = kindOf(parts[1]);
    const name = parts[2];
    if (method === 'GET' && !name) return sendJson(res, 200, store.list(kind, ns));
    if (method === 'GET' && name) return sendJson(res, 200, store.require(kind, ns, name));
    if (method === 'PUT' && !name) return sendJson(res, 200, store.put(kind, (await readJson(req)) as KubeObject));
    if (method === 'PATCH' && name) return sendJson(res, 200, store.patch(kind, ns, name, 'merge', await readJson(req)));
    if (method === 'DELETE' && name) {
      const grace = url.searchParams.get('gracePeriodSeconds');
      return sendJson(res, 200, store.delete(kind, ns, name, grace === null ? {} : { gracePeriodSeconds: Number(grace) }));
    }
    if (method === 'POST' && name && parts[3] === 'finalize') return sendJson(res, 200, store.finalize(kind, ns, name));
  }
  throw new ApiError(404, 'NotFound', `no control endpoint ${method} ${url.pathname}`);
}

/** Starts the control listener (plain HTTP; keep it on loopback). */
export async function serveControl(controls: KubeSimControls, host: string, port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    route(controls, req, res).catch((error) => sendError(res, error));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}` };
}
