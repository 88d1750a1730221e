import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authorizer } from '../authz.js';
import type { ResourceRequest } from '../request-info.js';
import type { KubeStore } from '../store.js';

/** What every resource route gets: the request, its parsed attributes, and the server's parts. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  info: ResourceRequest;
  store: KubeStore;
  authorizer: Authorizer;
  /** How often a watch with allowWatchBookmarks=true gets a BOOKMARK. */
  bookmarkIntervalMs: number;
}

export function isDryRun(url: URL): boolean {
  return url.searchParams.getAll('dryRun').includes('All');
}
