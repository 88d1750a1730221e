import { describe, expect, it } from 'vitest';
import { compareIdentity } from '../../../src/ops/drain/identity.js';
import { fakeInstances } from '../../support/fakes/index.js';

const [before] = fakeInstances(1);

describe('compareIdentity', () => {
  it('is the same instance when uid and restarts are unchanged', () => {
    expect(compareIdentity(before!, { ...before! })).toMatchObject({ kind: 'same' });
  });

  it('is gone when the fleet no longer has it', () => {
    expect(compareIdentity(before!, undefined)).toEqual({ kind: 'gone' });
  });

  it('is restarted when the uid changed (same name, re-created)', () => {
    expect(compareIdentity(before!, { ...before!, uid: 'other' })).toMatchObject({ kind: 'restarted', change: `uid ${before!.uid} → other` });
  });

  it('is restarted when restarts went up', () => {
    expect(compareIdentity(before!, { ...before!, restarts: 1 })).toMatchObject({ kind: 'restarted', change: 'restarts 0 → 1' });
  });

  it('does not call a missing uid a change (backends without uids)', () => {
    const { uid: _uid, ...noUid } = before!;
    expect(compareIdentity(noUid, { ...before! })).toMatchObject({ kind: 'same' });
  });
});
