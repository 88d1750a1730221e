// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`: what `kubectl get` asks for. The answer
// is a meta.k8s.io Table with the kind's columns and one row per object; each row carries the
// object's metadata (includeObject=Metadata, the default), the whole object, or nothing.
import type { KubeObject } from '../store.js';
import { badRequest } from '../status.js';
import { COLUMNS, DEFAULT_COLUMNS, type ColumnDefinition } from './columns.js';
import { PRINTERS, type Row } from './rows.js';

export type TableVersion = 'v1' | 'v1beta1';
type IncludeObject = 'None' | 'Metadata' | 'Object';

/** The Table version the Accept header asks for first, or undefined when it wants plain objects. */
export function tableVersionOf(accept: string | undefined): TableVersion | undefined {
  for (const range of (accept ?? '').split(',')) {
    const [type, ...params] = range.split(';').map((p) => p.trim());
    const values = Object.fromEntries(params.map((p) => p.split('=').map((s) => s.trim()) as [string, string]));
    if (type !== 'application/json' && type !== '*/*') continue;
    if (values.as === undefined) return undefined;
    if (values.as === 'Table' && values.g === 'meta.k8s.io' && (values.v === 'v1' || values.v === 'v1beta1')) return values.v;
  }
  return undefined;
}

function includeObjectOf(url: URL): IncludeObject {
  const value = url.searchParams.get('includeObject') ?? 'Metadata';
  if (value !== 'None' && value !== 'Metadata' && value !== 'Object') {
    throw badRequest(`includeObject: unsupported value "${value}": supported values: "Metadata", "None", "Object"`);
  }
  return value;
}

function rowOf(obj: KubeObject, version: TableVersion, include: IncludeObject, now: number): Row & { object?: object } {
  const printer = PRINTERS[obj.kind ?? ''];
  const row: Row & { object?: object } = printer ? printer(obj, now) : { cells: [obj.metadata.name, obj.metadata.creationTimestamp] };
  if (include === 'Object') row.object = obj;
  else if (include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
  return row;
}

export interface TableOptions {
  version: TableVersion;
  url: URL;
  /** Table metadata: resourceVersion, continue, remainingItemCount. */
  listMeta?: Record<string, unknown>;
  /** Leave out columnDefinitions (watch events after the first). */
  noHeaders?: boolean;
}

export function toTable(kind: string, objects: KubeObject[], options: TableOptions): object {
  const include = includeObjectOf(options.url);
  const now = Date.now();
  const columns: ColumnDefinition[] = COLUMNS[kind] ?? DEFAULT_COLUMNS;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata: options.listMeta ?? {},
    columnDefinitions: options.noHeaders ? null : columns,
    rows: objects.map((obj) => rowOf({ ...obj, kind }, options.version, include, now)),
  };
}
