// The protobuf reader behind `kubectl create namespace|deployment|service|pdb`: bodies built here
// byte by byte as Go's generated marshalers write them (every non-pointer field, set or not).
import { describe, expect, it } from 'vitest';
import { decodeObject } from '../../../src/sandbox/kube-sim/protobuf.js';
import { ApiError } from '../../../src/sandbox/kube-sim/status.js';

const varint = (n: number): Buffer => {
  const bytes: number[] = [];
  let v = BigInt.asUintN(64, BigInt(n));
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v > 0n);
  return Buffer.from(bytes);
};
const bytesField = (field: number, value: Buffer | string): Buffer => {
  const payload = Buffer.isBuffer(value) ? value : Buffer.from(value);
  return Buffer.concat([varint((field << 3) | 2), varint(payload.length), payload]);
};
const intField = (field: number, value: number): Buffer => Buffer.concat([varint(field << 3), varint(value)]);
const envelope = (apiVersion: string, kind: string, raw: Buffer): Buffer =>
  Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), bytesField(1, Buffer.concat([bytesField(1, apiVersion), bytesField(2, kind)])), bytesField(2, raw)]);

const label = (k: string, v: string) => bytesField(11, Buffer.concat([bytesField(1, k), bytesField(2, v)]));

describe('protobuf request bodies', () => {
  it('decodes a Namespace, leaving out the zero values Go writes and JSON omits', () => {
    const meta = Buffer.concat([bytesField(1, 'rtc'), bytesField(2, ''), intField(7, 0), bytesField(8, Buffer.alloc(0)), label('team', 'rtc')]);
    const body = envelope('v1', 'Namespace', Buffer.concat([bytesField(1, meta), bytesField(2, Buffer.alloc(0)), bytesField(3, bytesField(1, ''))]));
    expect(decodeObject(body)).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'rtc', labels: { team: 'rtc' } } });
  });

  it('decodes a Deployment: int-or-string maxSurge and maxUnavailable, label maps, nested messages', () => {
    const rolling = Buffer.concat([bytesField(1, Buffer.concat([intField(1, 0), intField(2, 1)])), bytesField(2, Buffer.concat([intField(1, 1), bytesField(3, '25%')]))]);
    const container = Buffer.concat([bytesField(1, 'gw'), bytesField(2, 'conduit/reference-gateway:0.1.0'), intField(16, 0), intField(17, 0), intField(18, 0)]);
    const template = Buffer.concat([bytesField(1, label('app', 'web')), bytesField(2, bytesField(2, container))]);
    const spec = Buffer.concat([intField(1, 2), bytesField(2, bytesField(1, Buffer.concat([bytesField(1, 'app'), bytesField(2, 'web')]))), bytesField(3, template), bytesField(4, bytesField(2, rolling))]);
    const body = envelope('apps/v1', 'Deployment', Buffer.concat([bytesField(1, bytesField(1, 'web')), bytesField(2, spec)]));
    expect(decodeObject(body)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'gw', image: 'conduit/reference-gateway:0.1.0' }] } },
        strategy: { rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
      },
    });
  });

  it('refuses with 415 a field it cannot read (set to a value), rather than dropping it', () => {
    const meta = bytesField(1, 'rtc');
    const body = envelope('v1', 'Namespace', Buffer.concat([bytesField(1, meta), bytesField(2, bytesField(9, 'surprise'))]));
    expect(() => decodeObject(body)).toThrow(ApiError);
    try {
      decodeObject(body);
    } catch (error) {
      expect((error as ApiError).code).toBe(415);
      expect((error as ApiError).message).toContain('field 9 of Namespace.spec');
    }
    expect(() => decodeObject(envelope('v1', 'ConfigMap', meta))).toThrow(/cannot read ConfigMap/);
  });
});
