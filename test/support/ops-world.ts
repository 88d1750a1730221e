// The one world the op tests run in: n StatefulSet-like pods (conduit-0…), their gateways, the
// Kubernetes workloads over them, a fake clock and an abort controller — all in-memory fakes of
// the ports. test/ops/drain, test/ops/scale and test/ops/kube-drain build their runs on it.

import { FakeClock, FakeFleet, FakeGateway, FakeWorkloads, fakeInstances, type ControllerMode } from './fakes/index.js';

export interface OpsWorldOptions {
  controller?: ControllerMode;
  policy?: 'OrderedReady' | 'Parallel';
  /** Every gateway call takes this long on the fake clock. */
  latencyMs?: number;
}

export interface OpsWorld {
  clock: FakeClock;
  fleet: FakeFleet;
  kube: FakeWorkloads;
  gateway: FakeGateway;
  abort: AbortController;
}

export function opsWorld(n = 3, o: OpsWorldOptions = {}): OpsWorld {
  const clock = new FakeClock();
  const fleet = new FakeFleet(fakeInstances(n), { description: { kind: 'kubernetes', source: 'test cluster', cluster: 'sim', context: 'sim', namespace: 'default' } });
  const kube = new FakeWorkloads({ fleet, clock, controller: o.controller ?? 'immediate', statefulSet: { replicas: n, podManagementPolicy: o.policy ?? 'OrderedReady' } });
  const gateway = new FakeGateway({ clock, ...(o.latencyMs ? { latencyMs: o.latencyMs } : {}) });
  return { clock, fleet, kube, gateway, abort: new AbortController() };
}
