import { describe, expect, it } from 'vitest';
import { fleetFromUrls } from '../../src/static-fleet/index.js';
import { UsageError } from '../../src/ops/errors.js';

describe('StaticFleet', () => {
  const fleet = fleetFromUrls([
    'conduit-10=http://127.0.10.10:9087',
    'conduit-2=http://127.0.10.2:9087',
    'conduit-1=http://127.0.10.1:9087',
  ]);

  it('resolves all instances in natural name order', async () => {
    expect((await fleet.resolve({ kind: 'all' })).map((i) => i.name)).toEqual(['conduit-1', 'conduit-2', 'conduit-10']);
  });

  it('resolves names, sorted and without duplicates', async () => {
    const instances = await fleet.resolve({ kind: 'names', names: ['conduit-10', 'conduit-1', 'conduit-10'] });
    expect(instances.map((i) => i.name)).toEqual(['conduit-1', 'conduit-10']);
  });

  it('refuses an unknown name, listing the known ones', async () => {
    const error = await fleet.resolve({ kind: 'names', names: ['conduit-3'] }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain('conduit-3');
    expect((error as UsageError).hint).toContain('conduit-1, conduit-2, conduit-10');
  });

  it('explains that selectors and workloads need Kubernetes', async () => {
    await expect(fleet.resolve({ kind: 'selector', selector: 'app=conduit' })).rejects.toThrow(/needs a Kubernetes fleet/);
    await expect(fleet.resolve({ kind: 'workload', workloadKind: 'statefulset', name: 'conduit' })).rejects.toThrow(
      /statefulset\/conduit needs a Kubernetes fleet/,
    );
  });

  it('gets one instance, or undefined', async () => {
    expect(await fleet.get('conduit-2')).toMatchObject({ name: 'conduit-2', address: '127.0.10.2' });
    expect(await fleet.get('conduit-9')).toBeUndefined();
  });

  it('hands out copies, so callers cannot change the fleet', async () => {
    const [first] = await fleet.resolve({ kind: 'all' });
    first!.adminUrl = 'http://127.0.99.99:1';
    expect((await fleet.get('conduit-1'))?.adminUrl).toBe('http://127.0.10.1:9087');
  });
});
