import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import type { KubeSim } from '../../../src/sandbox/kube-sim/index.js';
import { call, echoServer, pdbManifest, podManifest, portOf, startSimWithNamespace, statefulSetManifest, type Upstream } from './helpers.js';

let sim: KubeSim;
const cleanups: (() => Promise<void>)[] = [];
beforeEach(async () => {
  sim = await startSimWithNamespace();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await sim.close();
});

const evict = (name: string, body: object = {}) =>
  call(sim, `/api/v1/namespaces/ns/pods/${name}/eviction`, {
    method: 'POST',
    body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'ns' }, ...body },
  });

/** The disruption controller writes PDB status once per burst of changes, on the next turn. */
const budgetsSettled = () => new Promise((resolve) => setImmediate(resolve));

describe('pods/eviction with PodDisruptionBudgets', () => {
  it('answers 429 with the DisruptionBudget cause when the budget would be violated, 201 otherwise', async () => {
    sim.store.create('Pod', podManifest('gw-0'));
    sim.store.create('Pod', podManifest('gw-1'));
    sim.store.create('Pod', podManifest('gw-2'));
    sim.store.create('PodDisruptionBudget', pdbManifest('gw-pdb', { minAvailable: 2 }));
    await budgetsSettled();
    expect(sim.store.get('PodDisruptionBudget', 'ns', 'gw-pdb')?.status).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3 });

    const first = await evict('gw-0', { deleteOptions: { gracePeriodSeconds: 20 } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'Status', status: 'Success' });
    expect(sim.store.get('Pod', 'ns', 'gw-0')?.metadata.deletionGracePeriodSeconds).toBe(20);
    expect(sim.store.get('PodDisruptionBudget', 'ns', 'gw-pdb')?.status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 0 });

    const blocked = await evict('gw-1');
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget gw-pdb needs 2 healthy pods and has 2 currently' }] },
      code: 429,
    });
    expect(sim.store.get('Pod', 'ns', 'gw-1')?.metadata.deletionTimestamp).toBeUndefined();
    // Evicting the already-terminating pod again is fine.
    expect((await evict('gw-0')).status).toBe(201);
  });

  it('computes maxUnavailable percentages against the owning StatefulSet replicas', async () => {
    const sts = sim.store.create('StatefulSet', { ...statefulSetManifest('gw', 4) });
    for (const i of [0, 1, 2]) sim.store.create('Pod', podManifest(`gw-${i}`, { owner: sts }));
    sim.store.create('PodDisruptionBudget', pdbManifest('gw-pdb', { maxUnavailable: '25%' }));
    await budgetsSettled();
    expect(sim.store.get('PodDisruptionBudget', 'ns', 'gw-pdb')?.status).toMatchObject({ expectedPods: 4, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 });
    const blocked = await evict('gw-2');
    expect(blocked.body.details.causes[0].message).toBe('The disruption budget gw-pdb needs 3 healthy pods and has 3 currently');
  });

  it('answers 500 when two budgets select the pod, and 404 for a missing pod', async () => {
    sim.store.create('Pod', podManifest('gw-0'));
    sim.store.create('PodDisruptionBudget', pdbManifest('one', { minAvailable: 0 }));
    sim.store.create('PodDisruptionBudget', pdbManifest('two', { maxUnavailable: 1 }));
    const two = await evict('gw-0');
    expect(two.status).toBe(500);
    expect(two.body.message).toBe('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    expect(sim.store.get('Pod', 'ns', 'gw-0')?.metadata.deletionTimestamp).toBeUndefined();
    const missing = await evict('nope');
    expect(missing.status).toBe(404);
    expect(missing.body.reason).toBe('NotFound');
  });

  it('evicts an unready pod while the budget is met', async () => {
    sim.store.create('Pod', podManifest('gw-0'));
    sim.store.create('Pod', podManifest('gw-1', { ready: false }));
    sim.store.create('PodDisruptionBudget', pdbManifest('gw-pdb', { minAvailable: 1 }));
    expect((await evict('gw-1')).status).toBe(201);
  });
});

describe('pods/proxy', () => {
  let upstream: Upstream;
  beforeEach(async () => {
    upstream = await echoServer('127.0.3.7');
    cleanups.push(() => upstream.close());
    sim.store.create('Pod', podManifest('gw-0', { ip: '127.0.3.7', port: portOf(upstream) }));
  });

  it('forwards GET and POST with query, body and decoded path, without the caller credentials', async () => {
    const port = portOf(upstream);
    const get = await call(sim, `/api/v1/namespaces/ns/pods/gw-0:${port}/proxy/v1%2Fmetrics?verbose=1&a=b`);
    expect(get.status).toBe(200);
    expect(get.headers['x-echo']).toBe('yes');
    expect(get.body).toMatchObject({ method: 'GET', url: '/v1/metrics?verbose=1&a=b', authorization: null });
    const post = await call(sim, `/api/v1/namespaces/ns/pods/gw-0/proxy/admin/drain?batch=7`, { method: 'POST', body: { graceSeconds: 30 } });
    expect(post.body).toMatchObject({ method: 'POST', url: '/admin/drain?batch=7', body: '{"graceSeconds":30}' });
    const named = await call(sim, `/api/v1/namespaces/ns/pods/gw-0:admin/proxy/health`);
    expect(named.body.url).toBe('/health');
  });

  it('answers 503 when the pod does not answer, and 404 for an unknown pod', async () => {
    await upstream.close();
    const refused = await call(sim, `/api/v1/namespaces/ns/pods/gw-0/proxy/health`);
    expect(refused.status).toBe(503);
    expect(refused.body.message).toContain('error trying to reach service');
    expect((await call(sim, `/api/v1/namespaces/ns/pods/nope:80/proxy/health`)).status).toBe(404);
  });

  it('forwards a WebSocket upgrade and pipes frames both ways', async () => {
    const wss = new WebSocketServer({ host: '127.0.3.8', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => {
      for (const c of wss.clients) c.terminate();
      wss.close(() => resolve());
    }));
    wss.on('connection', (socket, req) => {
      socket.send(`hello ${req.url}`);
      socket.on('message', (data) => socket.send(`echo ${data.toString()}`));
    });
    const wsPort = (wss.address() as AddressInfo).port;
    sim.store.create('Pod', podManifest('gw-1', { ip: '127.0.3.8', port: wsPort }));
    const url = `${sim.url.replace('https', 'wss')}/api/v1/namespaces/ns/pods/gw-1:${wsPort}/proxy/v1/subscribe?x=1`;
    const client = new WebSocket(url, { ca: sim.caPem, headers: { Authorization: `Bearer ${sim.token}` } });
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      client.on('error', reject);
      client.on('message', (data) => {
        received.push(data.toString());
        if (received.length === 1) client.send('ping');
        if (received.length === 2) resolve();
      });
    });
    expect(received).toEqual(['hello /v1/subscribe?x=1', 'echo ping']);
    client.terminate();

    const unauthorized = new WebSocket(url, { ca: sim.caPem });
    unauthorized.on('error', () => {});
    const status = await new Promise<number>((resolve) => unauthorized.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    unauthorized.terminate();
    expect(status).toBe(401);
  });
});
