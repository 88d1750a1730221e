// Issue 14 item 5 (untested rules): the resourceVersion re-read before the scale write, fast.
// The slow e2e test against kube-sim was the only one that noticed a write carrying a stale one.
import { describe, expect, it } from 'vitest';
import { scaleWorld } from './support.js';

describe('item 5: untested rules — the resourceVersion re-read before the scale write', () => {
  it('after a 409 the next write carries the resourceVersion read again, never the plan-time one', async () => {
    const w = scaleWorld(3);
    // The StatefulSet controller updates the object's status while the victim drains.
    w.kube.beforeWrite = (attempt) => attempt === 1 && w.kube.touch();
    const result = await w.run({ replicas: 2 });

    expect(result.outcome).toBe('scaled');
    const planned = Number(result.plan.resourceVersion);
    expect(w.kube.callsOf('setReplicas').map((c) => c.detail)).toEqual([`conduit=2@${planned}`, `conduit=2@${planned + 1}`]);
    // The re-read came between the two writes.
    const calls = w.kube.calls.map((c) => c.op);
    const [first, second] = calls.flatMap((op, i) => (op === 'setReplicas' ? [i] : []));
    expect(calls.slice(first! + 1, second).filter((op) => op === 'getScale')).toHaveLength(1);
  });
});
