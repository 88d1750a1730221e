// Watch streams: newline-delimited {"type","object"} events over a chunked response. Selectors are
// applied to both sides of a change, so an object that stops matching arrives as DELETED.

import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '../selectors.js';
import { ApiError } from '../status.js';
import type { ResourceType } from '../resources.js';
import type { KubeObject, StoreEvent } from '../store.js';
import { tableVersionOf, toTable } from '../tables/table.js';
import type { RouteContext } from './context.js';

const DEFAULT_TIMEOUT_SECONDS = 1800;

export function serveWatch(ctx: RouteContext, type: ResourceType, name: string | undefined): void {
  const { url, res, req, store } = ctx;
  const labels = parseLabelSelector(url.searchParams.get('labelSelector') ?? '');
  const fields = parseFieldSelector(url.searchParams.get('fieldSelector') ?? '', type.kind);
  const matches = (obj: KubeObject | undefined) =>
    obj !== undefined && (name === undefined || obj.metadata.name === name) && matchesLabels(labels, obj.metadata.labels) && matchesFields(fields, obj);
  const timeoutParam = Number(url.searchParams.get('timeoutSeconds') ?? DEFAULT_TIMEOUT_SECONDS);
  const timeoutSeconds = Number.isFinite(timeoutParam) && timeoutParam > 0 ? timeoutParam : DEFAULT_TIMEOUT_SECONDS;
  const bookmarks = url.searchParams.get('allowWatchBookmarks') === 'true';

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  // kubectl get -w asks for Table rows: each event carries a one-row Table, the first with the columns.
  const table = tableVersionOf(req.headers.accept);
  let headersSent = false;
  const send = (eventType: string, object: unknown) => {
    if (res.writableEnded || res.destroyed) return;
    let body = object;
    if (table && eventType !== 'ERROR' && eventType !== 'BOOKMARK') {
      body = toTable(type.kind, [object as KubeObject], { version: table, url, noHeaders: headersSent });
      headersSent = true;
    }
    res.write(JSON.stringify({ type: eventType, object: body }) + '\n');
  };

  const onEvent = (event: StoreEvent) => {
    const now = matches(event.object);
    const before = event.type === 'ADDED' ? false : matches(event.previous);
    if (event.type === 'DELETED') {
      if (before || now) send('DELETED', event.object);
    } else if (now && before) send('MODIFIED', event.object);
    else if (now) send('ADDED', event.object);
    else if (before) send('DELETED', event.object);
  };

  let unsubscribe = () => {};
  try {
    unsubscribe = store.watch(type.kind, ctx.info.namespace, url.searchParams.get('resourceVersion') ?? undefined, onEvent);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    send('ERROR', error.toStatus());
    res.end();
    return;
  }

  const timers = [setTimeout(() => finish(), timeoutSeconds * 1000)];
  if (bookmarks) {
    const bookmark = () => send('BOOKMARK', { kind: type.kind, apiVersion: type.group ? `${type.group}/${type.version}` : type.version, metadata: { resourceVersion: store.resourceVersion } });
    timers.push(setInterval(bookmark, ctx.bookmarkIntervalMs));
  }
  let finished = false;
  function finish(): void {
    if (finished) return;
    finished = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    if (!res.writableEnded) res.end();
  }
  req.on('close', finish);
  res.on('close', finish);
}
