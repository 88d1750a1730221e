import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/ops/errors.js';
import { contractFromAnnotations } from '../../src/kube/index.js';
import { selectorMatches, selectorToString } from '../../src/kube/selector.js';

describe('contractFromAnnotations', () => {
  it('reads conduit.dev/* annotations into plain values', () => {
    expect(
      contractFromAnnotations({
        name: 'gw',
        annotations: {
          'conduit.dev/admin-port': '9100',
          'conduit.dev/health-path': '/healthz',
          'conduit.dev/count-path': '/stats',
          'conduit.dev/count-field': 'clients.open',
          'unrelated/annotation': 'x',
        },
      }),
    ).toEqual({ adminPort: 9100, healthPath: '/healthz', countPath: '/stats', countField: 'clients.open' });
    expect(contractFromAnnotations({ name: 'gw', annotations: { 'conduit.dev/count-metric': 'gw_clients' } })).toEqual({ countMetric: 'gw_clients' });
    expect(contractFromAnnotations({ name: 'gw', annotations: {} })).toEqual({});
  });

  it('rejects invalid values, naming the annotation and the StatefulSet', () => {
    for (const [key, value] of [
      ['conduit.dev/admin-port', '99999'],
      ['conduit.dev/admin-port', '90a'],
      ['conduit.dev/health-path', 'health'],
      ['conduit.dev/count-path', '/a?b'],
    ] as const) {
      expect(() => contractFromAnnotations({ name: 'gw', annotations: { [key]: value } })).toThrow(UsageError);
      expect(() => contractFromAnnotations({ name: 'gw', annotations: { [key]: value } })).toThrow(`statefulset "gw": annotation ${key}`);
    }
    expect(() => contractFromAnnotations({ name: 'gw', annotations: { 'conduit.dev/count-field': 'a', 'conduit.dev/count-metric': 'b' } })).toThrow(UsageError);
  });
});

describe('label selectors', () => {
  const labels = { app: 'gw', tier: 'edge' };

  it('matchLabels and every matchExpressions operator', () => {
    expect(selectorMatches({ matchLabels: { app: 'gw' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['edge', 'core'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['edge'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, labels)).toBe(false);
  });

  it('an empty selector matches everything, a missing one nothing (policy/v1)', () => {
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches(undefined, labels)).toBe(false);
  });

  it('prints the labelSelector string form', () => {
    expect(
      selectorToString({
        matchLabels: { app: 'gw' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['edge', 'core'] },
          { key: 'zone', operator: 'NotIn', values: ['b'] },
          { key: 'canary', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=gw,tier in (core,edge),zone notin (b),canary,!legacy');
  });
});
