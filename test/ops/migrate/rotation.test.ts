import { describe, expect, it } from 'vitest';
import { loadBalancerRotation } from '../../../src/ops/migrate/rotation.js';
import type { Sample, StickySampler } from '../../../src/ops/ports/index.js';

/** A load balancer that answers each fresh upgrade from `answers`, in turn (an in-memory StickySampler). */
function balancer(answers: Array<Partial<Sample>>): StickySampler {
  let next = 0;
  return {
    describe: () => ({ url: 'ws://lb/v1/subscribe', transport: 'websocket', cookies: false, freshConnections: true, instanceFrom: { kind: 'json-field', path: 'instance' }, timeoutMs: 1_000 }),
    openClient: () => ({
      sample: async () => ({ outcome: 'answered', setCookies: [], sentCookies: [], durationMs: 1, ...answers[next++ % answers.length] }),
      close: async () => undefined,
    }),
  };
}

describe('loadBalancerRotation', () => {
  it('in rotation while any fresh upgrade lands on the source, or its 503 still names it', async () => {
    expect(await loadBalancerRotation(balancer([{ instance: 'conduit-0' }, { instance: 'conduit-2' }]), 'conduit-2')()).toMatchObject({ state: 'in', detail: '2 of 5 fresh upgrades through ws://lb/v1/subscribe still landed on conduit-2' });
    expect((await loadBalancerRotation(balancer([{ outcome: 'http-error', httpStatus: 503, reportedInstance: 'conduit-2', detail: 'HTTP 503' }]), 'conduit-2')()).state).toBe('in');
  });

  it('out of rotation when every upgrade lands elsewhere', async () => {
    const state = await loadBalancerRotation(balancer([{ instance: 'conduit-0' }, { instance: 'conduit-1' }]), 'conduit-2')();
    expect(state).toEqual({ state: 'out', detail: '5 fresh upgrades through ws://lb/v1/subscribe landed on conduit-0, conduit-1, none on conduit-2' });
  });

  it('says that all upgrades on one instance may be this host\'s client-IP pin, not the rotation', async () => {
    const state = await loadBalancerRotation(balancer([{ instance: 'conduit-0' }]), 'conduit-2')();
    expect(state.state).toBe('out');
    expect(state.detail).toContain('landed on conduit-0, none on conduit-2 (all on one instance: behind client-IP affinity that is only where this host is pinned');
    expect(state.detail).toContain("keep --reconnect-after's lower bound above that delay");
  });

  it('an upgrade that fails for another reason leaves the state unknown', async () => {
    expect((await loadBalancerRotation(balancer([{ outcome: 'unreachable', detail: 'ECONNREFUSED' }]), 'conduit-2')()).state).toBe('unknown');
  });
});
