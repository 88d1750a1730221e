import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createWsSampler, type WsSamplerOptions } from '../../src/sticky-sampler/ws-sampler.js';
import type { StickyClient } from '../../src/ops/ports/index.js';
import { startLoopbackServer, type LoopbackServer } from '../support/loopback-server.js';

const servers: LoopbackServer[] = [];
const wsServers: WebSocketServer[] = [];

afterEach(async () => {
  for (const wss of wsServers.splice(0)) {
    for (const client of wss.clients) client.terminate();
    wss.close();
  }
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface Gateway {
  wsUrl: string;
  closeCodes: number[];
  cookiesSeen: (string | undefined)[];
  server: LoopbackServer;
}

/**
 * A gateway in miniature: a SERVERID cookie on the 101 answer, a hello naming the instance the
 * cookie picked; `refuse` answers the upgrade with that status instead.
 */
async function gateway(opts: { refuse?: number; hello?: (instance: string) => unknown; silent?: boolean; fragments?: number } = {}): Promise<Gateway> {
  const server = await startLoopbackServer((_req, res) => res.end());
  servers.push(server);
  const wss = new WebSocketServer({ noServer: true });
  wsServers.push(wss);
  const closeCodes: number[] = [];
  const cookiesSeen: (string | undefined)[] = [];
  let next = 0;
  server.server.on('upgrade', (req: http.IncomingMessage, socket, head) => {
    cookiesSeen.push(req.headers.cookie);
    if (opts.refuse) {
      socket.end(`HTTP/1.1 ${opts.refuse} Service Unavailable\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n${JSON.stringify({ status: 'draining', instance: 'conduit-1' })}`);
      return;
    }
    const held = /SERVERID=(s\d)/.exec(req.headers.cookie ?? '')?.[1];
    const id = held ?? `s${(next++ % 3) + 1}`;
    wss.once('headers', (headers) => {
      if (!held) headers.push(`Set-Cookie: SERVERID=${id}; path=/`);
    });
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('close', (code) => closeCodes.push(code));
      if (opts.silent) return;
      const hello = JSON.stringify(opts.hello ? opts.hello(`conduit-${id}`) : { type: 'hello', instance: `conduit-${id}`, connectionId: 'c1' });
      const parts = opts.fragments ?? 1;
      const size = Math.ceil(hello.length / parts);
      for (let i = 0; i < parts; i++) ws.send(hello.slice(i * size, (i + 1) * size), { fin: i === parts - 1 });
    });
  });
  return { wsUrl: `ws://${server.host}:${server.port}/v1/subscribe`, closeCodes, cookiesSeen, server };
}

function client(url: string, overrides: Partial<WsSamplerOptions> = {}): StickyClient {
  return createWsSampler({ url, cookies: true, instanceFrom: { kind: 'json-field', path: 'instance' }, timeoutMs: 2_000, ...overrides }).openClient({ id: 1 });
}

describe('WebSocket sampler', () => {
  it('reads the instance from the hello, keeps the 101’s cookie, and closes cleanly with 1000', async () => {
    const gw = await gateway();
    const c = client(gw.wsUrl);
    const samples = [await c.sample(), await c.sample(), await c.sample()];
    expect(samples.map((s) => s.outcome)).toEqual(['answered', 'answered', 'answered']);
    expect(new Set(samples.map((s) => s.instance)).size).toBe(1);
    expect(samples[0]!.setCookies.map((k) => k.name)).toEqual(['SERVERID']);
    expect(gw.cookiesSeen[0]).toBeUndefined();
    expect(gw.cookiesSeen[1]).toMatch(/^SERVERID=s\d$/);
    expect(new Set(samples.map((s) => s.localPort)).size).toBe(3);
    await expect.poll(() => gw.closeCodes).toEqual([1000, 1000, 1000]);
  });

  it('without cookies each upgrade is a stranger', async () => {
    const gw = await gateway();
    const c = client(gw.wsUrl, { cookies: false });
    const samples = [await c.sample(), await c.sample(), await c.sample()];
    expect(new Set(samples.map((s) => s.instance)).size).toBe(3);
    expect(gw.cookiesSeen).toEqual([undefined, undefined, undefined]);
  });

  it('reports a refused upgrade (a draining 503) with the instance the body names', async () => {
    const gw = await gateway({ refuse: 503 });
    const sample = await client(gw.wsUrl).sample();
    expect(sample).toMatchObject({ outcome: 'http-error', httpStatus: 503, reportedInstance: 'conduit-1', reportedStatus: 'draining' });
  });

  it('reads a long hello sent in fragments (16- and 64-bit frame lengths)', async () => {
    const gw = await gateway({ hello: (instance) => ({ type: 'hello', instance, padding: 'x'.repeat(200_000) }), fragments: 3 });
    const sample = await client(gw.wsUrl).sample();
    expect(sample).toMatchObject({ outcome: 'answered', httpStatus: 101 });
    expect(sample.instance).toMatch(/^conduit-s\d$/);
    await expect.poll(() => gw.closeCodes).toEqual([1000]);
  });

  it('reports a first message without the instance field', async () => {
    const gw = await gateway({ hello: () => ({ type: 'tick', seq: 1 }) });
    expect(await client(gw.wsUrl).sample()).toMatchObject({ outcome: 'missing-instance', httpStatus: 101, detail: 'no "instance" field in the first message' });
  });

  it('times out when no first message comes', async () => {
    const gw = await gateway({ silent: true });
    expect(await client(gw.wsUrl, { timeoutMs: 200 }).sample()).toMatchObject({ outcome: 'timeout' });
  });

  it('reports a closed port as unreachable', async () => {
    const gw = await gateway();
    await gw.server.close();
    servers.length = 0;
    expect(await client(gw.wsUrl).sample()).toMatchObject({ outcome: 'unreachable', detail: 'ECONNREFUSED' });
  });
});
