// The three PATCH flavours the API server accepts: JSON merge patch (RFC 7386), strategic merge
// patch (merge lists of containers/ports/env/conditions by their key, like the API server's
// patchMergeKey tags), and JSON patch (RFC 6902).

import { ApiError, unsupportedPatchType } from './status.js';

export type PatchType = 'merge' | 'strategic' | 'json';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

export function patchTypeOf(contentType: string | undefined): PatchType {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (media === 'application/merge-patch+json') return 'merge';
  if (media === 'application/strategic-merge-patch+json') return 'strategic';
  if (media === 'application/json-patch+json') return 'json';
  throw unsupportedPatchType(media);
}

export function applyPatch(target: unknown, type: PatchType, patch: unknown): unknown {
  switch (type) {
    case 'merge':
      return mergePatch(target as Json, patch as Json);
    case 'strategic':
      return strategicMergePatch(target as Json, patch as Json);
    case 'json':
      return jsonPatch(target as Json, patch);
  }
}

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key] ?? null, value);
  }
  return result;
}

/** patchMergeKey per list field name, as in the Kubernetes API types. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  volumeClaimTemplates: 'name',
};

/** Lists of scalars merged as sets (patchStrategy "merge"). */
const SET_LISTS = new Set(['finalizers']);

function mergeKeyFor(field: string, items: Json[]): string | undefined {
  if (field === 'ports') {
    // Container ports merge on containerPort, Service ports on port.
    const sample = items.find(isObject);
    return sample && 'containerPort' in sample ? 'containerPort' : 'port';
  }
  return MERGE_KEYS[field];
}

function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch['$patch'] === 'replace') {
    const { $patch: _, ...rest } = patch;
    return structuredClone(rest);
  }
  if (patch['$patch'] === 'delete') return null;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    if (value === null) {
      delete result[key];
      continue;
    }
    const current = result[key];
    if (Array.isArray(value)) {
      result[key] = mergeList(key, Array.isArray(current) ? current : [], value);
    } else {
      result[key] = strategicMergePatch(current ?? null, value);
    }
  }
  return result;
}

function mergeList(field: string, current: Json[], patch: Json[]): Json[] {
  if (SET_LISTS.has(field)) return [...current, ...patch.filter((v) => !current.includes(v))];
  const key = mergeKeyFor(field, [...patch, ...current]);
  if (!key || !patch.every(isObject)) return structuredClone(patch);
  if (patch.some((p) => isObject(p) && p['$patch'] === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p['$patch'] === 'replace')).map((p) => structuredClone(p));
  }
  const result = current.map((item) => structuredClone(item));
  for (const item of patch as JsonObject[]) {
    const index = result.findIndex((existing) => isObject(existing) && existing[key] === item[key]);
    if (item['$patch'] === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = strategicMergePatch(result[index]!, item);
    } else {
      result.push(strategicMergePatch(null, item));
    }
  }
  return result;
}

interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function patchFailed(message: string): ApiError {
  return new ApiError(422, 'Invalid', message);
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw patchFailed(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, tokens: string[], pointer: string): { parent: JsonObject | Json[]; last: string } {
  let current: Json = doc;
  for (const token of tokens.slice(0, -1)) {
    const next: Json | undefined = Array.isArray(current) ? current[Number(token)] : isObject(current) ? current[token] : undefined;
    if (next === undefined || next === null || typeof next !== 'object') throw patchFailed(`doc is missing path: "${pointer}"`);
    current = next;
  }
  if (current === null || typeof current !== 'object') throw patchFailed(`doc is missing path: "${pointer}"`);
  return { parent: current, last: tokens[tokens.length - 1]! };
}

function arrayIndex(arr: Json[], token: string, pointer: string, forInsert: boolean): number {
  if (forInsert && token === '-') return arr.length;
  const index = Number(token);
  const max = forInsert ? arr.length : arr.length - 1;
  if (!/^\d+$/.test(token) || index > max) throw patchFailed(`unable to access invalid index: ${token} (path "${pointer}")`);
  return index;
}

function getAt(doc: Json, pointer: string): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const { parent, last } = parentOf(doc, tokens, pointer);
  const value = Array.isArray(parent) ? parent[arrayIndex(parent, last, pointer, false)] : parent[last];
  if (value === undefined) throw patchFailed(`doc is missing path: "${pointer}"`);
  return value;
}

function removeAt(doc: Json, pointer: string): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw patchFailed('cannot remove the whole document');
  const { parent, last } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, last, pointer, false), 1)[0]!;
  if (!(last in parent)) throw patchFailed(`unable to remove nonexistent key: ${last}: missing value`);
  const value = parent[last]!;
  delete parent[last];
  return value;
}

function addAt(doc: Json, pointer: string, value: Json): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, pointer, true), 0, value);
  else parent[last] = value;
  return doc;
}

function replaceAt(doc: Json, pointer: string, value: Json): Json {
  getAt(doc, pointer);
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent[Number(last)] = value;
  else parent[last] = value;
  return doc;
}

export function jsonPatch(target: Json, operations: unknown): Json {
  if (!Array.isArray(operations)) throw new ApiError(400, 'BadRequest', 'json patch must be an array of operations');
  let doc: Json = structuredClone(target);
  for (const raw of operations as JsonPatchOp[]) {
    if (!isObject(raw as unknown) || typeof raw.path !== 'string') throw patchFailed('invalid JSON patch operation');
    const value = raw.value === undefined ? undefined : structuredClone(raw.value);
    switch (raw.op) {
      case 'add':
        doc = addAt(doc, raw.path, value ?? null);
        break;
      case 'remove':
        removeAt(doc, raw.path);
        break;
      case 'replace':
        doc = replaceAt(doc, raw.path, value ?? null);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, raw.path)) !== JSON.stringify(value ?? null)) {
          throw patchFailed(`testing value ${raw.path} failed: test failed`);
        }
        break;
      case 'move': {
        const moved = removeAt(doc, raw.from ?? '');
        doc = addAt(doc, raw.path, moved);
        break;
      }
      case 'copy':
        doc = addAt(doc, raw.path, structuredClone(getAt(doc, raw.from ?? '')));
        break;
      default:
        throw patchFailed(`Unexpected kind: ${String(raw.op)}`);
    }
  }
  return doc;
}
