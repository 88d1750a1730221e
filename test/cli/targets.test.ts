// Issue 14 item 8: kubectl's resource forms, parsed into the same targets.
import { describe, expect, it } from 'vitest';
import { parseTarget } from '../../src/cli/targets.js';
import { normalizeKubectlArgs } from '../../src/cli/kubectl-args.js';
import { UsageError } from '../../src/ops/errors.js';

describe('item 8: kubectl habits — resource forms', () => {
  it.each([
    [['sts/conduit'], { kind: 'workload', workloadKind: 'statefulset', name: 'conduit' }],
    [['statefulset.apps/conduit'], { kind: 'workload', workloadKind: 'statefulset', name: 'conduit' }],
    [['statefulsets.apps/conduit'], { kind: 'workload', workloadKind: 'statefulset', name: 'conduit' }],
    [['sts', 'conduit'], { kind: 'workload', workloadKind: 'statefulset', name: 'conduit' }],
    [['statefulset', 'conduit'], { kind: 'workload', workloadKind: 'statefulset', name: 'conduit' }],
    [['pod/conduit-1'], { kind: 'names', names: ['conduit-1'] }],
    [['po/conduit-1', 'pod/conduit-2'], { kind: 'names', names: ['conduit-1', 'conduit-2'] }],
    [['pods', 'conduit-1', 'conduit-2'], { kind: 'names', names: ['conduit-1', 'conduit-2'] }],
    [['conduit-1', 'conduit-2'], { kind: 'names', names: ['conduit-1', 'conduit-2'] }],
  ])('%j', (args, target) => {
    expect(parseTarget(args)).toEqual(target);
  });

  it.each([[['sts', 'a', 'b']], [['sts/a', 'conduit-1']], [['svc/conduit']], [['pod/Conduit']]])('%j is a usage error', (args) => {
    expect(() => parseTarget(args)).toThrow(UsageError);
  });
});

describe('item 8: kubectl habits — -v=N and --dry-run=STRATEGY spellings', () => {
  it('rewrites them for commander; bare flags pass through', () => {
    expect(normalizeKubectlArgs(['status', '-v=6'])).toEqual(['status', '--v', '6']);
    expect(normalizeKubectlArgs(['status', '--v=8', '-vv'])).toEqual(['status', '--v', '8', '-vv']);
    expect(normalizeKubectlArgs(['drain', 'a', '--dry-run=client'])).toEqual(['drain', 'a', '--dry-run']);
    expect(normalizeKubectlArgs(['drain', 'a', '--dry-run=server'])).toEqual(['drain', 'a', '--dry-run']);
    expect(normalizeKubectlArgs(['drain', 'a', '--dry-run=none'])).toEqual(['drain', 'a']);
    expect(normalizeKubectlArgs(['drain', '--dry-run', 'a'])).toEqual(['drain', '--dry-run', 'a']);
    expect(normalizeKubectlArgs(['probe', 'u', '--', 'cmd', '-v=6'])).toEqual(['probe', 'u', '--', 'cmd', '-v=6']);
    expect(() => normalizeKubectlArgs(['drain', '--dry-run=yes'])).toThrow(UsageError);
  });
});
