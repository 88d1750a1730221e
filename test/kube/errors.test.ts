import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, RefusedError, UsageError } from '../../src/ops/errors.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connectKube, KubeUnavailableError } from '../../src/kube/index.js';
import { startKubeSim } from '../../src/sandbox/kube-sim/index.js';
import { createStatefulSetWithPods, startSimWorld, type SimWorld } from './support.js';

let world: SimWorld;
beforeAll(async () => {
  world = await startSimWorld();
});
afterAll(async () => {
  await world.close();
});
beforeEach(() => {
  world.sim.controls.clearFaults();
  world.sim.controls.clearDenyRules();
  world.sim.controls.clearRequestLog();
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the call to fail');
  return error;
}

describe('API error classification', () => {
  it('403 → RefusedError naming the verb and resource, with the API message', async () => {
    const kube = await world.connect('err-403');
    world.sim.controls.deny({ verbs: ['list'], resources: ['pods'] });
    const error = await failure(kube.fleet.resolve({ kind: 'selector', selector: 'app=gw' }));
    expect(error).toBeInstanceOf(RefusedError);
    expect(error.message).toContain('forbidden: cannot list pods in namespace "err-403"');
    expect(error.message).toContain('cannot list resource "pods"');
  });

  it('422 → UsageError with the API message', async () => {
    const kube = await world.connect('err-422');
    world.sim.controls.addFault({ resource: 'pods', verb: 'list', status: 422, message: 'unable to parse requirement: invalid label key "a b"' });
    const error = await failure(kube.fleet.resolve({ kind: 'selector', selector: 'a b' }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('invalid label key');
  });

  it('409 outside a conditional write → ConflictError', async () => {
    const kube = await world.connect('err-409');
    world.sim.controls.addFault({ resource: 'selfsubjectaccessreviews', status: 409 });
    await expect(kube.workloads.denied([{ verb: 'get', group: '', resource: 'pods' }])).rejects.toBeInstanceOf(ConflictError);
  });

  it('5xx → transient KubeUnavailableError (a TimeoutError-kind failure the caller retries)', async () => {
    const kube = await world.connect('err-503');
    world.sim.controls.addFault({ resource: 'statefulsets', status: 503, message: 'etcd is unhappy' });
    const error = await failure(kube.workloads.getStatefulSet('gw'));
    expect(error).toBeInstanceOf(KubeUnavailableError);
    expect((error as KubeUnavailableError).kind).toBe('timeout');
    expect(error.message).toMatch(/API server error 503: etcd is unhappy/);
  });

  it('a connection reset → transient, naming the network error', async () => {
    const kube = await world.connect('err-reset');
    world.sim.controls.addFault({ resource: 'pods', reset: true });
    const error = await failure(kube.fleet.get('gw-0'));
    expect(error).toBeInstanceOf(KubeUnavailableError);
    expect(error.message).toMatch(/API server unreachable \(ECONNRESET\)/);
  });

  it('an unreachable API server → transient ECONNREFUSED', async () => {
    // A stopped kube-sim leaves a kubeconfig pointing at a port nobody listens on.
    const dead = await startKubeSim();
    const path = join(world.dir, 'dead-config');
    await dead.writeKubeconfig(path);
    await dead.close();
    const gone = await connectKube({ kubeconfig: path, env: {}, requestTimeoutMs: 5_000 });
    const error = await failure(gone.fleet.get('gw-0'));
    expect(error).toBeInstanceOf(KubeUnavailableError);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('every request has a timeout', async () => {
    const kube = await world.connect('err-timeout', { requestTimeoutMs: 300 });
    world.sim.controls.addFault({ resource: 'pods', latencyMs: 3_000, times: 1 });
    const error = await failure(kube.fleet.get('gw-0'));
    expect(error).toBeInstanceOf(KubeUnavailableError);
    expect(error.message).toContain('no answer within 300 ms');
  });

  it('honours the caller’s AbortSignal with its reason', async () => {
    const kube = await world.connect('err-abort');
    world.sim.controls.addFault({ resource: 'pods', latencyMs: 3_000, times: 1 });
    const controller = new AbortController();
    const reason = new Error('interrupted by SIGINT');
    const pending = kube.fleet.get('gw-0', controller.signal);
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
  });

  it('any call 429 + Retry-After: a throttled read waits it out and succeeds; the 429 is not an error', async () => {
    const kube = await world.connect('err-throttle');
    createStatefulSetWithPods(world.sim, 'err-throttle', 'gw', 1);
    // Only this namespace: a late request of an earlier test (a loaded machine) must not take the fault.
    world.sim.controls.addFault({ path: '/namespaces/err-throttle/', resource: 'pods', verb: 'get', status: 429, retryAfterHeader: 1, times: 1 });
    expect((await kube.fleet.get('gw-0'))?.name).toBe('gw-0');
    const mine = world.sim.controls.requestLog().filter((e) => e.path.includes('/namespaces/err-throttle/'));
    expect(mine.map((e) => e.status)).toEqual([429, 200]);
    expect(Date.parse(mine[1]!.time) - Date.parse(mine[0]!.time)).toBeGreaterThanOrEqual(1_000);
  });

  it('any call 429 + Retry-After, bounded: a read throttled without end gives up after 3 retries', async () => {
    const kube = await world.connect('err-throttle-endless');
    createStatefulSetWithPods(world.sim, 'err-throttle-endless', 'gw', 1);
    world.sim.controls.addFault({ path: '/namespaces/err-throttle-endless/', resource: 'pods', verb: 'get', status: 429, retryAfterHeader: 0, times: 50 });
    const error = await failure(kube.fleet.get('gw-0'));
    expect(error).toBeInstanceOf(KubeUnavailableError);
    const mine = world.sim.controls.requestLog().filter((e) => e.path.includes('/namespaces/err-throttle-endless/'));
    expect(mine.map((e) => e.status)).toEqual([429, 429, 429, 429]);
  });

  it('a throttled read whose Retry-After is too long → transient error carrying the wait', async () => {
    const kube = await world.connect('err-throttle-long');
    world.sim.controls.addFault({ resource: 'pods', verb: 'get', status: 429, retryAfterHeader: 120, times: 1 });
    const error = await failure(kube.fleet.get('gw-0'));
    expect(error).toBeInstanceOf(KubeUnavailableError);
    expect((error as KubeUnavailableError).retryAfterMs).toBe(120_000);
  });

  it('a throttled write is not retried by the client', async () => {
    const kube = await world.connect('err-throttle-write');
    world.sim.controls.addFault({ method: 'PATCH', resource: 'statefulsets/scale', status: 429, retryAfterHeader: 1, times: 1 });
    const error = await failure(kube.workloads.setReplicas('gw', 1, '5'));
    expect(error).toBeInstanceOf(KubeUnavailableError);
    expect(world.sim.controls.requestLog().filter((e) => e.method === 'PATCH')).toHaveLength(1);
  });

  it('a wrong token → RefusedError; the token is in no message', async () => {
    const path = join(world.dir, 'wrong-token');
    const original = await readFile(world.kubeconfig, 'utf8');
    await writeFile(path, original.replace(world.sim.token, 'not-the-token-5ecret'));
    const kube = await connectKube({ kubeconfig: path, env: {}, requestTimeoutMs: 5_000 });
    const error = await failure(kube.fleet.get('gw-0'));
    expect(error).toBeInstanceOf(RefusedError);
    expect(error.message).toMatch(/401/);
    expect(error.message).not.toContain('5ecret');
    expect(error.message).not.toContain(world.sim.token);
  });

  it('no API token appears in any classified message', async () => {
    const kube = await world.connect('err-secrets');
    world.sim.controls.addFault({ resource: 'pods', status: 500, message: `boom Authorization: Bearer ${world.sim.token}` });
    const error = await failure(kube.fleet.get('gw-0'));
    expect(error.message).not.toContain(world.sim.token);
    expect(error.message).toContain('***');
  });
});
