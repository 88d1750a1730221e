// In-memory port fakes for ops/ tests: a fake clock, gateway and fleet. See each file's header.
export { FakeClock, type FakeClockOptions } from './fake-clock.js';
export {
  FakeGateway,
  gatewayError,
  unknownCount,
  type CountStep,
  type FakeGatewayInstance,
  type FakeGatewayOptions,
  type GatewayCall,
  type GatewayOp,
  type HealthStep,
} from './fake-gateway.js';
export { FakeFleet, fakeInstances, type FakeFleetOptions } from './fake-fleet.js';
export { FakeWorkloads, type ControllerMode, type EvictionStep, type FakeWorkloadsOptions, type WorkloadCall } from './fake-workloads.js';
export { FakeProbePool, FakeRollouts, FakeCommandRunner, emptySnapshot } from './fake-probe.js';
