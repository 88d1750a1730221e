import { request } from 'node:https';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectKube, type KubeGatewayTransport } from '../../src/kube/index.js';
import { startSimWorld, type SimWorld } from './support.js';

let world: SimWorld;
beforeAll(async () => {
  world = await startSimWorld();
});
afterAll(async () => {
  await world.close();
});

type Proxy = Extract<KubeGatewayTransport, { kind: 'proxy' }>;

/** One GET to the API server using only what the transport config carries. */
function getWith(transport: Proxy, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${transport.apiServer}${path}`, { ...transport.tls, headers: transport.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('gatewayTransport', () => {
  it('proxy: the API server URL, namespace, cluster CA and bearer token', async () => {
    const kube = await world.connect('transport');
    const transport = await kube.gatewayTransport('proxy');
    if (transport.kind !== 'proxy') throw new Error('expected proxy');
    expect(transport.apiServer).toBe(world.sim.url);
    expect(transport.namespace).toBe('transport');
    expect(String(transport.tls.ca)).toBe(world.sim.caPem);
    expect(transport.tls.rejectUnauthorized).toBe(true);
    expect(transport.headers.Authorization).toBe(`Bearer ${world.sim.token}`);
    // And it really authenticates over verified TLS.
    expect(await getWith(transport, '/api/v1/namespaces/transport/pods')).toBe(200);
  });

  it('auto: proxy from outside the cluster, direct by pod IP inside it', async () => {
    const outside = await world.connect('transport-auto');
    expect((await outside.gatewayTransport('auto')).kind).toBe('proxy');
    expect(await outside.gatewayTransport('direct')).toEqual({ kind: 'direct' });

    const sa = join(world.dir, 'sa');
    await mkdir(sa, { recursive: true });
    await writeFile(join(sa, 'token'), 'pod-token');
    const inside = await connectKube({
      kubeconfig: world.kubeconfig,
      env: { KUBERNETES_SERVICE_HOST: '10.96.0.1' },
      serviceAccountDir: sa,
      requestTimeoutMs: 5_000,
    });
    expect(await inside.gatewayTransport('auto')).toEqual({ kind: 'direct' });
    expect((await inside.gatewayTransport('proxy')).kind).toBe('proxy');
  });

  it('--insecure-skip-tls-verify turns verification off in the proxy transport', async () => {
    const kube = await connectKube({ kubeconfig: world.kubeconfig, env: {}, insecureSkipTlsVerify: true, requestTimeoutMs: 5_000 });
    const transport = await kube.gatewayTransport('proxy');
    expect(transport.kind === 'proxy' && transport.tls.rejectUnauthorized).toBe(false);
  });
});
