// The OpenAPI v3 documents kubectl fetches before `apply`/`create -f`: /openapi/v3 lists one
// document per group/version, each with the resource paths (whose PATCH operations accept the
// fieldValidation parameter, which tells kubectl the server validates fields itself) and a schema
// per kind generated from fields.ts. Minimal but valid: no descriptions, no patch-strategy
// extensions (so kubectl computes strategic merge patches from its own built-in types).
import { createHash } from 'node:crypto';
import { GROUP_VERSIONS, RESOURCE_TYPES, type ResourceType } from '../resources.js';
import { SERVER_VERSION } from '../discovery.js';
import { ANY, FIELDS, type FieldTree } from './fields.js';

type Json = Record<string, unknown>;

const SCHEMA_PACKAGE: Record<string, string> = {
  '': 'io.k8s.api.core',
  apps: 'io.k8s.api.apps',
  policy: 'io.k8s.api.policy',
  autoscaling: 'io.k8s.api.autoscaling',
  'coordination.k8s.io': 'io.k8s.api.coordination',
  'discovery.k8s.io': 'io.k8s.api.discovery',
};

const schemaName = (type: ResourceType) => `${SCHEMA_PACKAGE[type.group] ?? `io.k8s.api.${type.group}`}.${type.version}.${type.kind}`;

function schemaOf(tree: FieldTree): Json {
  if (tree === ANY) return { 'x-kubernetes-preserve-unknown-fields': true };
  if (Array.isArray(tree)) return { type: 'array', items: schemaOf(tree[0]) };
  return { type: 'object', properties: Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, schemaOf(v)])) };
}

const queryParam = (name: string): Json => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
const PARAMS = { dryRun: queryParam('dryRun'), fieldManager: queryParam('fieldManager'), fieldValidation: queryParam('fieldValidation'), force: { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } } };

function operation(type: ResourceType, action: string, verb: string, parameters: Json[], withBody: boolean): Json {
  const ref = { $ref: `#/components/schemas/${schemaName(type)}` };
  return {
    operationId: `${verb}${type.kind}`,
    parameters,
    ...(withBody ? { requestBody: { content: { '*/*': { schema: ref } }, required: true } } : {}),
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: type.group, version: type.version, kind: type.kind },
  };
}

function pathsOf(type: ResourceType): Json {
  const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  const collection = type.namespaced ? `${base}/namespaces/{namespace}/${type.plural}` : `${base}/${type.plural}`;
  const write = [PARAMS.dryRun, PARAMS.fieldManager, PARAMS.fieldValidation];
  return {
    [collection]: { get: operation(type, 'list', 'list', [], false), post: operation(type, 'post', 'create', write, true) },
    [`${collection}/{name}`]: {
      get: operation(type, 'get', 'read', [], false),
      put: operation(type, 'put', 'replace', write, true),
      patch: operation(type, 'patch', 'patch', [...write, PARAMS.force], true),
      delete: operation(type, 'delete', 'delete', [PARAMS.dryRun], false),
    },
  };
}

/** 'api/v1' or 'apis/apps/v1' → the group/version's document. */
function documentFor(gvPath: string): Json | undefined {
  const parts = gvPath.split('/');
  const [group, version] = parts[0] === 'api' && parts.length === 2 ? ['', parts[1]!] : parts[0] === 'apis' && parts.length === 3 ? [parts[1]!, parts[2]!] : [];
  if (version === undefined) return undefined;
  const types = RESOURCE_TYPES.filter((t) => t.group === group && t.version === version && FIELDS[t.kind]);
  if (types.length === 0) return undefined;
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
    paths: Object.assign({}, ...types.map(pathsOf)),
    components: { schemas: Object.fromEntries(types.map((t) => [schemaName(t), schemaOf(FIELDS[t.kind]!)])) },
  };
}

const GV_PATHS = ['api/v1', ...GROUP_VERSIONS.map((g) => `apis/${g.group}/${g.version}`)];

/** Built once: the documents never change while kube-sim runs. */
const DOCUMENTS = new Map<string, { text: string; hash: string }>();
for (const path of GV_PATHS) {
  const doc = documentFor(path);
  if (!doc) continue;
  const text = JSON.stringify(doc);
  DOCUMENTS.set(path, { text, hash: createHash('sha512').update(text).digest('hex').slice(0, 128).toUpperCase() });
}

/** GET /openapi/v3 and /openapi/v3/<gv>: the JSON text, or undefined for a 404. */
export function openApiV3(rest: string[]): string | undefined {
  if (rest.length === 0) {
    const paths = Object.fromEntries([...DOCUMENTS].map(([path, doc]) => [path, { serverRelativeURL: `/openapi/v3/${path}?hash=${doc.hash}` }]));
    return JSON.stringify({ paths });
  }
  return DOCUMENTS.get(rest.join('/'))?.text;
}
