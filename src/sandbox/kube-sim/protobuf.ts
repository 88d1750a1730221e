// kubectl's typed clients (e.g. `kubectl auth can-i`) send bodies as Kubernetes protobuf:
// "k8s\0" + runtime.Unknown{typeMeta=1, raw=2}. kube-sim reads the few messages it needs with
// this minimal wire-format reader and always answers JSON, which client-go accepts.

import { badRequest } from './status.js';

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
