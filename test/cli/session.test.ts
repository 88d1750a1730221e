// The Session resolves once: one connection, the StatefulSet read once, the transport chosen once
// and the preflight asking for exactly the access that transport uses. And no secret reaches any
// output at any verbosity.
import { describe, expect, it } from 'vitest';
import type { AccessCheck } from '../../src/ops/ports/index.js';
import { runInProcess } from '../support/cli/index.js';
import { FakeClock, FakeFleet, FakeGateway, FakeWorkloads, fakeInstances } from '../support/fakes/index.js';

function kubeWorld(clock: FakeClock, inCluster: boolean) {
  const fleet = new FakeFleet(fakeInstances(3), { description: { kind: 'kubernetes', source: 'fake cluster', namespace: 'default' } });
  const workloads = new FakeWorkloads({ fleet, clock });
  const asked: AccessCheck[] = [];
  workloads.deny = (check) => {
    asked.push(check);
    return false;
  };
  return { workloads, asked, world: { kube: { fleet, workloads, inCluster }, gateway: new FakeGateway({ clock }) } };
}

const proxyChecks = (asked: AccessCheck[]) => asked.filter((c) => c.subresource === 'proxy').map((c) => c.verb);

describe('session', () => {
  it('in the cluster (--via auto → direct): the preflight does not ask for pods/proxy it never uses', async () => {
    const clock = new FakeClock();
    const { asked, world } = kubeWorld(clock, true);
    const result = await runInProcess(['scale', 'sts/conduit', '--replicas', '2', '--dry-run'], { world, clock });
    expect(result.code, result.stderr).toBe(0);
    expect(asked.length).toBeGreaterThan(0);
    expect(proxyChecks(asked)).toEqual([]);
    expect(result.log.gatewayConfigs[0]!.transport).toEqual({ kind: 'direct' });
  });

  it('outside the cluster (--via auto → proxy): the preflight asks for pods/proxy get and create', async () => {
    const clock = new FakeClock();
    const { asked, world } = kubeWorld(clock, false);
    const result = await runInProcess(['scale', 'sts/conduit', '--replicas', '2', '--dry-run'], { world, clock });
    expect(result.code, result.stderr).toBe(0);
    expect(proxyChecks(asked)).toEqual(['get', 'create']);
    expect(result.log.gatewayConfigs[0]!.transport).toMatchObject({ kind: 'proxy' });
  });

  it('scale reads the StatefulSet once, connects once, and opens one gateway client', async () => {
    const clock = new FakeClock();
    const { workloads, world } = kubeWorld(clock, false);
    const result = await runInProcess(['scale', 'sts/conduit', '--replicas', '2', '--dry-run'], { world, clock });
    expect(result.code, result.stderr).toBe(0);
    expect(workloads.callsOf('getStatefulSet')).toHaveLength(1);
    expect(result.log.kubeConnections).toBe(1);
    expect(result.log.gatewayConfigs).toHaveLength(1);
  });

  it('the StatefulSet’s annotations declare the contract; a flag given wins', async () => {
    const clock = new FakeClock();
    const { workloads, world } = kubeWorld(clock, false);
    workloads.statefulSet.annotations = { 'conduit.dev/admin-port': '9100', 'conduit.dev/health-path': '/healthz' };
    const result = await runInProcess(['status', 'sts/conduit', '--admin-port', '9200'], { world, clock });
    expect(result.code, result.stderr).toBe(0);
    expect(result.log.gatewayConfigs[0]).toMatchObject({ adminPort: 9200, paths: { health: '/healthz' } });
  });
});

describe('secrets', () => {
  const TOKEN = 'tok-3f9a1c77e0b2d4-secret';

  it.each([[[]], [['-v']], [['-vv']], [['-vvv']], [['-vvv', '-o', 'json']], [['-vvv', '-o', 'yaml']], [['-vvv', '-o', 'wide']]])(
    'status %j never prints the admin token (it is read and handed to the gateway client only)',
    async (flags) => {
      const clock = new FakeClock();
      const gateway = new FakeGateway({ clock });
      gateway.set('conduit-1', { counts: ['unknown'] });
      const result = await runInProcess(['status', '--instances', 'conduit-0=http://127.0.35.1:9,conduit-1=http://127.0.35.2:9', ...flags], {
        world: { staticFleet: new FakeFleet(fakeInstances(2)), gateway },
        env: { CONDUIT_ADMIN_TOKEN: TOKEN },
        clock,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.log.gatewayConfigs[0]!.adminToken).toBe(TOKEN);
      expect(result.stdout + result.stderr).not.toContain(TOKEN);
      expect(result.stdout + result.stderr).not.toContain(TOKEN.slice(0, 12));
    },
  );
});
