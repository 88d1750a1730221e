// kubectl's typed clients (`kubectl create namespace|deployment|service`, `auth can-i`, drain's
// evictions) send bodies as Kubernetes protobuf: "k8s\0" + runtime.Unknown{typeMeta=1, raw=2}.
// kube-sim reads the messages it needs with this minimal wire-format reader, driven by the field
// tables in protobuf-schemas.ts, and always answers JSON, which client-go accepts.

import { TOP_LEVEL, type FieldType, type MessageSchema } from './protobuf-schemas.js';
import { ApiError, badRequest } from './status.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Fields = Map<number, (Buffer | bigint)[]>;

function readVarint(buf: Buffer, offset: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = offset; i < buf.length; i++) {
    const byte = buf[i]!;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, i + 1];
    shift += 7n;
  }
  throw badRequest('truncated protobuf varint');
}

function readFields(buf: Buffer): Fields {
  const fields: Fields = new Map();
  let offset = 0;
  while (offset < buf.length) {
    const [key, afterKey] = readVarint(buf, offset);
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    let value: Buffer | bigint;
    if (wireType === 0) {
      [value, offset] = readVarint(buf, afterKey);
    } else if (wireType === 2) {
      const [length, afterLength] = readVarint(buf, afterKey);
      offset = afterLength + Number(length);
      if (offset > buf.length) throw badRequest('truncated protobuf field');
      value = buf.subarray(afterLength, offset);
    } else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      value = buf.subarray(afterKey, afterKey + size);
      offset = afterKey + size;
    } else {
      throw badRequest(`unsupported protobuf wire type ${wireType}`);
    }
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

const bytesOf = (fields: Fields, n: number): Buffer | undefined => {
  const v = fields.get(n)?.[0];
  return Buffer.isBuffer(v) ? v : undefined;
};
const stringOf = (fields: Fields, n: number): string | undefined => bytesOf(fields, n)?.toString('utf8');

/** Unwraps the envelope; returns the inner object's apiVersion, kind and raw message. */
export function unwrapEnvelope(body: Buffer): { apiVersion: string; kind: string; raw: Buffer } {
  if (!body.subarray(0, 4).equals(MAGIC)) throw badRequest('protobuf body does not start with the k8s envelope');
  const unknown = readFields(body.subarray(4));
  const typeMeta = readFields(bytesOf(unknown, 1) ?? Buffer.alloc(0));
  return { apiVersion: stringOf(typeMeta, 1) ?? '', kind: stringOf(typeMeta, 2) ?? '', raw: bytesOf(unknown, 2) ?? Buffer.alloc(0) };
}

const RESOURCE_ATTRIBUTE_FIELDS = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'] as const;

/** authorization.k8s.io/v1 SelfSubjectAccessReview as JSON. */
export function decodeSelfSubjectAccessReview(raw: Buffer): object {
  const review = readFields(raw);
  const spec = readFields(bytesOf(review, 2) ?? Buffer.alloc(0));
  const out: { resourceAttributes?: Record<string, string>; nonResourceAttributes?: Record<string, string> } = {};
  const resource = bytesOf(spec, 1);
  if (resource) {
    const f = readFields(resource);
    out.resourceAttributes = {};
    RESOURCE_ATTRIBUTE_FIELDS.forEach((name, i) => {
      const value = stringOf(f, i + 1);
      if (value !== undefined) out.resourceAttributes![name] = value;
    });
  }
  const nonResource = bytesOf(spec, 2);
  if (nonResource) {
    const f = readFields(nonResource);
    out.nonResourceAttributes = { path: stringOf(f, 1) ?? '', verb: stringOf(f, 2) ?? '' };
  }
  return { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {}, spec: out };
}

/** The body a real API server refuses in a format it cannot read (as it does for CRDs). */
function unreadable(what: string): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (kube-sim cannot read ${what} as protobuf)`,
  );
}

const signed = (value: Buffer | bigint): number => Number(BigInt.asIntN(64, typeof value === 'bigint' ? value : 0n));

function stringMap(entries: (Buffer | bigint)[], valueOf: (raw: Buffer) => string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of entries) {
    const f = readFields(entry as Buffer);
    map[stringOf(f, 1) ?? ''] = valueOf(bytesOf(f, 2) ?? Buffer.alloc(0));
  }
  return map;
}

function timeOf(raw: Buffer): string | undefined {
  const f = readFields(raw);
  const seconds = signed(f.get(1)?.[0] ?? 0n);
  return seconds === 0 ? undefined : new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function intOrString(raw: Buffer): number | string {
  const f = readFields(raw);
  return signed(f.get(1)?.[0] ?? 0n) === 1 ? (stringOf(f, 3) ?? '') : signed(f.get(2)?.[0] ?? 0n);
}

/** One field's JSON value, or undefined for what Go's JSON encoding leaves out (omitempty). */
function valueOf(values: (Buffer | bigint)[], type: FieldType, path: string): unknown {
  const last = values[values.length - 1]!;
  const asString = (v: Buffer | bigint) => (v as Buffer).toString('utf8');
  if (Array.isArray(type)) {
    const items = values.map((v) => decodeMessage(v as Buffer, type[0], path));
    return items.length > 0 ? items : undefined;
  }
  if (typeof type === 'object') {
    const message = decodeMessage(last as Buffer, type, path);
    return Object.keys(message).length > 0 ? message : undefined;
  }
  switch (type) {
    case 's':
      return asString(last) || undefined;
    case 'i':
      return signed(last);
    case 'z':
      return signed(last) || undefined;
    case 'b':
      return signed(last) !== 0 || undefined;
    case 'ss':
      return values.map(asString);
    case 'm':
      return stringMap(values, (raw) => raw.toString('utf8'));
    case 'qm':
      return stringMap(values, (raw) => stringOf(readFields(raw), 1) ?? '');
    case 'ios':
      return intOrString(last as Buffer);
    case 'time':
      return timeOf(last as Buffer);
  }
}

/**
 * Go's generated marshalers write every non-pointer field, set or not (stdin=false, status with
 * zero counts …); such a zero value is what JSON leaves out, so an unlisted field may carry one.
 */
function isZero(value: Buffer | bigint): boolean {
  if (typeof value === 'bigint') return value === 0n;
  if (value.length === 0) return true;
  try {
    return [...readFields(value).values()].every((values) => values.every(isZero));
  } catch {
    return false;
  }
}

function decodeMessage(raw: Buffer, schema: MessageSchema, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, values] of readFields(raw)) {
    const known = schema[field];
    if (!known && values.every(isZero)) continue;
    if (!known) throw unreadable(`field ${field} of ${path}`);
    const value = valueOf(values, known[1], `${path}.${known[0]}`);
    if (value !== undefined) out[known[0]] = value;
  }
  return out;
}

/** A protobuf request body as the JSON object the routes read (apiVersion and kind included). */
export function decodeObject(body: Buffer): Record<string, unknown> {
  const { apiVersion, kind, raw } = unwrapEnvelope(body);
  const schema = TOP_LEVEL[kind];
  if (!schema) throw unreadable(kind || 'this object');
  return { apiVersion, kind, ...decodeMessage(raw, schema, kind) };
}
