// Server-side field validation: `?fieldValidation=Strict` (kubectl's default for create/apply)
// refuses a body with fields the kind does not have, Warn (the default) answers with a Warning
// header per field, Ignore drops them silently, as the API server's strict decoder does.
import type { ServerResponse } from 'node:http';
import type { ResourceType } from '../resources.js';
import { ApiError, badRequest } from '../status.js';
import { FIELDS, unknownFields } from './fields.js';

const DIRECTIVES = ['Ignore', 'Warn', 'Strict'];

export function validateFields(url: URL, res: ServerResponse, type: ResourceType, body: unknown): void {
  const directive = url.searchParams.get('fieldValidation') ?? 'Warn';
  if (!DIRECTIVES.includes(directive)) throw badRequest(`fieldValidation parameter unsupported: ${directive}`);
  const tree = FIELDS[type.kind];
  if (directive === 'Ignore' || !tree) return;
  const unknown = unknownFields(body, tree);
  if (unknown.length === 0) return;
  if (directive === 'Strict') {
    const list = unknown.map((f) => `unknown field "${f}"`).join(', ');
    throw new ApiError(400, 'BadRequest', `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${list}`);
  }
  res.setHeader('Warning', unknown.map((f) => `299 - "unknown field \\"${f}\\""`));
}
