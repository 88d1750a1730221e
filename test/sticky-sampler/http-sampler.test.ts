import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpSampler, type HttpSamplerOptions } from '../../src/sticky-sampler/http-sampler.js';
import type { Sample, StickyClient } from '../../src/ops/ports/index.js';
import { startLoopbackServer, type LoopbackServer } from '../support/loopback-server.js';

const servers: LoopbackServer[] = [];
const clients: StickyClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: http.RequestListener, host?: string): Promise<LoopbackServer> {
  const server = await startLoopbackServer(handler, host);
  servers.push(server);
  return server;
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function client(url: string, overrides: Partial<HttpSamplerOptions> = {}, sourceAddress?: string): StickyClient {
  const sampler = createHttpSampler({
    url,
    cookies: true,
    reuseConnections: false,
    instanceFrom: { kind: 'json-field', path: 'instance' },
    timeoutMs: 2_000,
    ...overrides,
  });
  const c = sampler.openClient({ id: 1, sourceAddress });
  clients.push(c);
  return c;
}

async function times(c: StickyClient, n: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) samples.push(await c.sample());
  return samples;
}

/** A cookie-inserting balancer in miniature: answers as the instance its SERVERID cookie names. */
function cookieBackend(): http.RequestListener {
  let next = 0;
  return (req, res) => {
    const held = /SERVERID=(s\d)/.exec(req.headers.cookie ?? '')?.[1];
    const server = held ?? `s${(next++ % 3) + 1}`;
    json(res, 200, { status: 'ok', instance: `conduit-${server}` }, held ? {} : { 'set-cookie': `SERVERID=${server}; path=/` });
  };
}

describe('HTTP sampler', () => {
  it('opens a fresh TCP connection for every request and says Connection: close', async () => {
    const seen: string[] = [];
    const server = await serve((req, res) => {
      seen.push(String(req.headers.connection));
      json(res, 200, { instance: 'conduit-0' });
    });
    const samples = await times(client(`${server.url}/health`), 5);
    expect(samples.map((s) => s.outcome)).toEqual(Array(5).fill('answered'));
    expect(server.connections()).toBe(5);
    expect(new Set(samples.map((s) => s.localPort)).size).toBe(5);
    expect(samples.map((s) => s.newConnection)).toEqual(Array(5).fill(true));
    expect(seen).toEqual(Array(5).fill('close'));
  });

  it('reuses one keep-alive connection with --reuse-connections', async () => {
    const server = await serve((_req, res) => json(res, 200, { instance: 'conduit-0' }));
    const samples = await times(client(`${server.url}/health`, { reuseConnections: true }), 5);
    expect(samples.every((s) => s.instance === 'conduit-0')).toBe(true);
    expect(server.connections()).toBeLessThan(5);
    expect(samples.filter((s) => s.newConnection).length).toBe(server.connections());
  });

  it('keeps the cookie a balancer inserts and sends it back', async () => {
    const server = await serve(cookieBackend());
    const samples = await times(client(`${server.url}/health`), 4);
    expect(new Set(samples.map((s) => s.instance)).size).toBe(1);
    expect(samples[0]!.setCookies).toEqual([{ name: 'SERVERID', value: samples[0]!.instance!.slice('conduit-'.length), attributes: { path: '/' } }]);
    expect(samples[0]!.sentCookies).toEqual([]);
    expect(samples.slice(1).map((s) => s.sentCookies)).toEqual(Array(3).fill(['SERVERID']));
  });

  it('without cookies records what was offered but sends nothing back', async () => {
    const server = await serve(cookieBackend());
    const samples = await times(client(`${server.url}/health`, { cookies: false }), 3);
    expect(new Set(samples.map((s) => s.instance)).size).toBe(3);
    expect(samples.every((s) => s.setCookies[0]?.name === 'SERVERID' && s.sentCookies.length === 0)).toBe(true);
  });

  it('binds the client to its own source address', async () => {
    const server = await serve((req, res) => json(res, 200, { instance: 'conduit-0', peer: req.socket.remoteAddress }), '127.0.0.1');
    const samples = await times(client(`${server.url}/health`, {}, '127.0.3.7'), 2);
    expect(server.peers()).toEqual(['127.0.3.7', '127.0.3.7']);
    expect(samples.map((s) => s.localAddress)).toEqual(['127.0.3.7', '127.0.3.7']);
  });

  it('reads the instance from a dotted field or from a header', async () => {
    const server = await serve((_req, res) => json(res, 200, { serverId: 'server-1', meta: { pod: 'gw-2' } }, { 'x-conduit-instance': 'conduit-9' }));
    expect((await client(`${server.url}/health`, { instanceFrom: { kind: 'json-field', path: 'serverId' } }).sample()).instance).toBe('server-1');
    expect((await client(`${server.url}/health`, { instanceFrom: { kind: 'json-field', path: 'meta.pod' } }).sample()).instance).toBe('gw-2');
    expect((await client(`${server.url}/health`, { instanceFrom: { kind: 'header', name: 'X-Conduit-Instance' } }).sample()).instance).toBe('conduit-9');
  });

  it('reports a draining 503 as an HTTP error, naming who said it, never as an answer', async () => {
    const server = await serve((_req, res) => json(res, 503, { status: 'draining', instance: 'conduit-1', connections: 4 }));
    const sample = await client(`${server.url}/health`).sample();
    expect(sample).toMatchObject({ outcome: 'http-error', httpStatus: 503, reportedInstance: 'conduit-1', reportedStatus: 'draining' });
    expect(sample.instance).toBeUndefined();
  });

  it('does not follow a redirect, and says where it pointed', async () => {
    let requests = 0;
    const server = await serve((_req, res) => {
      requests++;
      res.writeHead(302, { location: '/elsewhere' });
      res.end();
    });
    const sample = await client(`${server.url}/health`).sample();
    expect(sample).toMatchObject({ outcome: 'redirect', httpStatus: 302, detail: 'Location: /elsewhere' });
    expect(requests).toBe(1);
  });

  it('reports a 200 without the instance field, and a body that is not JSON', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/text') {
        res.end('OK');
        return;
      }
      json(res, 200, { status: 'healthy' });
    });
    expect(await client(`${server.url}/health`).sample()).toMatchObject({ outcome: 'missing-instance', httpStatus: 200, detail: 'no "instance" field in the body' });
    expect(await client(`${server.url}/text`).sample()).toMatchObject({ outcome: 'missing-instance', detail: 'the body is not JSON' });
  });

  it('reports a closed port as unreachable', async () => {
    const server = await serve((_req, res) => res.end());
    const url = `${server.url}/health`;
    await server.close();
    servers.length = 0;
    expect(await client(url).sample()).toMatchObject({ outcome: 'unreachable', detail: 'ECONNREFUSED' });
  });

  it('gives up after the per-request timeout', async () => {
    const server = await serve(() => {
      /* never answers */
    });
    const sample = await client(`${server.url}/health`, { timeoutMs: 150 }).sample();
    expect(sample).toMatchObject({ outcome: 'timeout', detail: 'no answer within 150ms' });
  });

  it('rejects with the signal’s reason when aborted', async () => {
    const server = await serve(() => {
      /* never answers */
    });
    const controller = new AbortController();
    const pending = client(`${server.url}/health`).sample(controller.signal);
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await expect(pending).rejects.toThrow('stop');
  });
});
