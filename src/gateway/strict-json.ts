// Strict reading of JSON answers. A count is a JSON number that is a finite, non-negative, safe
// integer, and nothing else: "0", -1, 1.5, null, 1e300 and a missing field are not counts
// (RELIABILITY rule 1).

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parseJson(text: string): Parsed<unknown> {
  if (text.trim() === '') return { ok: false, reason: 'empty body, expected JSON' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
}

/** The value at a dotted path (`ws.connections.active`), looking only at own properties of objects. */
export function valueAtPath(document: unknown, path: string): Parsed<unknown> {
  let current: unknown = document;
  for (const key of path.split('.')) {
    if (!isPlainObject(current) || !Object.hasOwn(current, key)) {
      return { ok: false, reason: `field ${path} is missing` };
    }
    current = current[key];
  }
  return { ok: true, value: current };
}

/** A connection count, or why the value is not one. */
export function strictCount(value: unknown, field: string): Parsed<number> {
  if (typeof value !== 'number') {
    return { ok: false, reason: `field ${field} is ${describeType(value)}, not a number` };
  }
  if (!Number.isSafeInteger(value) || value < 0 || Object.is(value, -0)) {
    return { ok: false, reason: `field ${field} is ${value}, not a non-negative integer count` };
  }
  return { ok: true, value };
}

/** strictCount of the field at `path` in a JSON body. */
export function countAtPath(text: string, path: string): Parsed<number> {
  const document = parseJson(text);
  if (!document.ok) return document;
  const field = valueAtPath(document.value, path);
  if (!field.ok) return field;
  return strictCount(field.value, path);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
