import { describe, expect, it } from 'vitest';
import { applyPatch, jsonPatch, mergePatch, patchTypeOf } from '../../../src/sandbox/kube-sim/patch.js';
import { ApiError } from '../../../src/sandbox/kube-sim/status.js';
import { formatLabelSelector, parseLabelSelector } from '../../../src/sandbox/kube-sim/selectors.js';

describe('patches', () => {
  it('maps content types and refuses unknown ones with 415', () => {
    expect(patchTypeOf('application/merge-patch+json; charset=utf-8')).toBe('merge');
    expect(patchTypeOf('application/strategic-merge-patch+json')).toBe('strategic');
    expect(patchTypeOf('application/json-patch+json')).toBe('json');
    expect(() => patchTypeOf('application/apply-patch+yaml')).toThrow(expect.objectContaining({ code: 415 }));
  });

  it('merge patch follows RFC 7386 (null deletes, arrays replace)', () => {
    expect(mergePatch({ a: 'b', c: { d: 'e', f: 'g' }, l: [1, 2] }, { a: 'z', c: { f: null }, l: [3] })).toEqual({ a: 'z', c: { d: 'e' }, l: [3] });
  });

  it('strategic merge patch merges keyed lists and honours $patch directives', () => {
    const pod = {
      spec: {
        containers: [
          { name: 'a', image: '1', env: [{ name: 'X', value: '1' }], ports: [{ containerPort: 80 }] },
          { name: 'b', image: '1' },
        ],
      },
      metadata: { finalizers: ['one'] },
      status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Scheduled', status: 'True' }] },
    };
    const result = applyPatch(pod, 'strategic', {
      spec: { containers: [{ name: 'a', env: [{ name: 'Y', value: '2' }], ports: [{ containerPort: 80, name: 'http' }] }, { name: 'b', $patch: 'delete' }] },
      metadata: { finalizers: ['two'] },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
    expect(result).toEqual({
      spec: { containers: [{ name: 'a', image: '1', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }], ports: [{ containerPort: 80, name: 'http' }] }] },
      metadata: { finalizers: ['one', 'two'] },
      status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Scheduled', status: 'True' }] },
    });
    expect(applyPatch({ spec: { selector: { a: '1', b: '2' } } }, 'strategic', { spec: { selector: { $patch: 'replace', c: '3' } } })).toEqual({ spec: { selector: { c: '3' } } });
  });

  it('JSON patch handles pointers, escapes, array append and failures', () => {
    const doc = { metadata: { annotations: { 'a/b': '1' } }, list: [1, 2] };
    expect(
      jsonPatch(doc, [
        { op: 'replace', path: '/metadata/annotations/a~1b', value: '2' },
        { op: 'add', path: '/list/-', value: 3 },
        { op: 'add', path: '/list/0', value: 0 },
      ]),
    ).toEqual({ metadata: { annotations: { 'a/b': '2' } }, list: [0, 1, 2, 3] });
    expect(doc.list).toEqual([1, 2]);
    expect(() => jsonPatch(doc, [{ op: 'remove', path: '/nope' }])).toThrow(ApiError);
    expect(() => jsonPatch(doc, [{ op: 'replace', path: '/list/9', value: 1 }])).toThrow(ApiError);
    expect(() => jsonPatch(doc, { op: 'add' })).toThrow(expect.objectContaining({ code: 400 }));
  });
});

describe('label selectors', () => {
  it('parses every operator and rejects garbage', () => {
    expect(parseLabelSelector('a=1,b==2,c!=3,d in (x, y),e notin (z),f,!g').map((r) => r.operator)).toEqual(['In', 'In', 'NotIn', 'In', 'NotIn', 'Exists', 'DoesNotExist']);
    expect(() => parseLabelSelector('a=(')).toThrow(expect.objectContaining({ code: 400 }));
    expect(formatLabelSelector({ matchLabels: { app: 'gw' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] })).toBe('app=gw,tier in (a,b)');
  });
});
