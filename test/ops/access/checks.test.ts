import { describe, expect, it } from 'vitest';
import { accessChecksFor, deniedMessage } from '../../../src/ops/access/index.js';
import type { AccessCheck } from '../../../src/ops/ports/index.js';

const verbs = (checks: AccessCheck[]) => checks.map((c) => `${c.verb} ${c.resource}${c.subresource ? '/' + c.subresource : ''}`);

describe('accessChecksFor', () => {
  it('scale: the write and the lease only when something will change', () => {
    expect(verbs(accessChecksFor({ operation: 'scale', statefulSet: 'conduit', direction: 'down' }))).toEqual(
      expect.arrayContaining(['patch statefulsets/scale', 'create leases', 'update leases', 'list pods', 'list horizontalpodautoscalers']),
    );
    const none = verbs(accessChecksFor({ operation: 'scale', statefulSet: 'conduit', direction: 'none' }));
    expect(none).not.toContain('patch statefulsets/scale');
    expect(none).not.toContain('create leases');
  });

  it('scale: the lease checks name the workload lock', () => {
    const leases = accessChecksFor({ operation: 'scale', statefulSet: 'conduit', direction: 'up' }).filter((c) => c.resource === 'leases' && c.name);
    expect(leases.map((c) => c.name)).toEqual(['conduitctl-lock-sts-conduit', 'conduitctl-lock-sts-conduit']);
  });

  it('drain: eviction or delete only for the --then that needs it', () => {
    expect(verbs(accessChecksFor({ operation: 'drain', then: 'none' }))).toEqual(['get pods', 'list endpointslices']);
    expect(verbs(accessChecksFor({ operation: 'drain', then: 'evict' }))).toContain('create pods/eviction');
    expect(verbs(accessChecksFor({ operation: 'drain', then: 'delete' }))).toContain('delete pods');
  });

  it('pods/proxy is asked for only when the admin API goes through it', () => {
    const direct = verbs(accessChecksFor({ operation: 'scale', statefulSet: 'conduit', direction: 'down', transport: 'direct' }));
    const proxied = verbs(accessChecksFor({ operation: 'scale', statefulSet: 'conduit', direction: 'down', transport: 'pods-proxy' }));
    expect(direct.filter((v) => v.includes('pods/proxy'))).toEqual([]);
    expect(proxied.filter((v) => v.includes('pods/proxy'))).toEqual(['get pods/proxy', 'create pods/proxy']);
    expect(verbs(accessChecksFor({ operation: 'read', transport: 'pods-proxy' })).filter((v) => v.includes('pods/proxy'))).toEqual(['get pods/proxy']);
  });

  it('a denied check reads as the verb and the resource', () => {
    expect(deniedMessage({ verb: 'create', group: '', resource: 'pods', subresource: 'eviction' })).toBe('not allowed to create pods/eviction');
  });
});
