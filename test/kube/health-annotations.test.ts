// Issue 14 item 6: a StatefulSet declares its gateway's health status field and values.
import { describe, expect, it } from 'vitest';
import { contractFromAnnotations } from '../../src/kube/annotations.js';
import { UsageError } from '../../src/ops/errors.js';

const sts = (annotations: Record<string, string>) => ({ name: 'chat', annotations });

describe('item 6: health status field and its ok/draining values from annotations', () => {
  it('reads the field and the comma-separated value lists', () => {
    expect(
      contractFromAnnotations(
        sts({
          'conduit.dev/health-status-field': 'state.phase',
          'conduit.dev/health-ok-values': 'ok, healthy',
          'conduit.dev/health-draining-values': 'DRAINING',
        }),
      ),
    ).toEqual({ healthStatusField: 'state.phase', healthOkValues: ['ok', 'healthy'], healthDrainingValues: ['DRAINING'] });
  });

  it('an empty item is a usage error naming the annotation', () => {
    expect(() => contractFromAnnotations(sts({ 'conduit.dev/health-ok-values': 'ok,,healthy' }))).toThrow(UsageError);
    expect(() => contractFromAnnotations(sts({ 'conduit.dev/health-ok-values': 'ok,,healthy' }))).toThrow(/conduit.dev\/health-ok-values/);
  });
});
