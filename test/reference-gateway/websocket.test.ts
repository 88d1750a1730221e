import type { IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startGateway, type GatewayHandle, type GatewayOptions } from '../../src/reference-gateway/index.js';
import { addressPool, IgnoringClient, request } from './support.js';
import { until } from '../support/until.js';
import { RecordingClient, upgradeStatus } from '../support/ws-clients.js';

const nextAddress = addressPool(20);
const running: GatewayHandle[] = [];
const clients: Array<{ close(): void }> = [];

async function gateway(options: GatewayOptions = {}): Promise<GatewayHandle> {
  const handle = await startGateway({ bind: nextAddress(), port: 0, adminPort: 0, ...options });
  running.push(handle);
  return handle;
}

async function connect(handle: GatewayHandle, path = '/v1/subscribe'): Promise<RecordingClient> {
  const client = await RecordingClient.open(`ws://${handle.address}:${handle.port}${path}`);
  clients.push(client);
  return client;
}

function subscribeUrl(handle: GatewayHandle): string {
  return `ws://${handle.address}:${handle.port}/v1/subscribe`;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(running.splice(0).map((handle) => handle.close()));
});

describe('WebSocket /v1/subscribe', () => {
  it('says hello with the instance name and a connection id unique per connection', async () => {
    const handle = await gateway({ name: 'conduit-7', tickMs: 0 });
    const first = await connect(handle);
    const second = await connect(handle);
    const helloA = await first.waitForMessage((m) => m.type === 'hello');
    const helloB = await second.waitForMessage((m) => m.type === 'hello');
    expect(helloA).toMatchObject({ type: 'hello', instance: 'conduit-7' });
    expect(typeof helloA.connectionId).toBe('string');
    expect(helloA.connectionId).not.toBe(helloB.connectionId);
    expect(first.messages[0]).toBe(JSON.stringify(helloA));
  });

  it('names the instance on the 101 response', async () => {
    const handle = await gateway({ name: 'conduit-5', tickMs: 0 });
    const socket = new WebSocket(subscribeUrl(handle), { perMessageDeflate: false });
    clients.push({ close: () => socket.terminate() });
    const [response] = (await once(socket, 'upgrade')) as [IncomingMessage];
    expect(response.headers['x-conduit-instance']).toBe('conduit-5');
  });

  it('sends ticks with a per-connection sequence starting at 1', async () => {
    const handle = await gateway({ tickMs: 20 });
    const early = await connect(handle);
    await early.waitForMessage((m) => m.type === 'tick' && m.seq === 3);
    const late = await connect(handle);
    await late.waitForMessage((m) => m.type === 'tick' && m.seq === 2);
    for (const client of [early, late]) {
      const seqs = client.parsed().filter((m) => m.type === 'tick').map((m) => m.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    }
  });

  it('sends no ticks when tickMs is 0', async () => {
    const handle = await gateway({ tickMs: 0 });
    const client = await connect(handle);
    client.socket.send('marker');
    await until(() => client.messages.includes('marker'), 'condition', 10_000, 10);
    expect(client.parsed().map((m) => m.type)).toEqual(['hello']);
  });

  it('echoes text and binary messages verbatim', async () => {
    const handle = await gateway({ tickMs: 0 });
    const client = await connect(handle);
    const binary: Buffer[] = [];
    client.socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) binary.push(data);
    });
    const text = '{"type":"subscribe", "topics": ["a" ,"b"]}  not even json ✓';
    client.socket.send(text);
    client.socket.send(Buffer.from([0, 1, 2, 255]));
    await until(() => client.messages.includes(text) && binary.length === 1, 'condition', 10_000, 10);
    expect([...(binary[0] as Buffer)]).toEqual([0, 1, 2, 255]);
  });

  it('answers 404 to upgrades on other paths and 426 to plain GETs of the endpoint', async () => {
    const handle = await gateway();
    expect(await upgradeStatus(`ws://${handle.address}:${handle.port}/v2/other`)).toBe(404);
    expect((await request(`http://${handle.address}:${handle.port}/v1/subscribe`)).status).toBe(426);
    expect((await request(`http://${handle.address}:${handle.port}/nope`)).status).toBe(404);
  });

  it('refuses upgrades beyond --max-connections with 503 and accepts again when one leaves', async () => {
    const handle = await gateway({ maxConnections: 2, tickMs: 0 });
    await connect(handle);
    const second = await connect(handle);
    expect(await upgradeStatus(subscribeUrl(handle))).toBe(503);
    second.close();
    await until(() => handle.activeConnections() === 1, 'condition', 10_000, 10);
    expect(await upgradeStatus(subscribeUrl(handle))).toBe(101);
  });

  it('refuses new upgrades with 503 while draining, keeps existing ones, and accepts after undrain', async () => {
    const handle = await gateway({ tickMs: 10 });
    const existing = await connect(handle);
    handle.drain();
    expect(await upgradeStatus(subscribeUrl(handle))).toBe(503);
    const ticksBefore = existing.messages.length;
    await until(() => existing.messages.length > ticksBefore + 2, 'condition', 10_000, 10);
    expect(handle.activeConnections()).toBe(1);
    handle.undrain();
    expect(await upgradeStatus(subscribeUrl(handle))).toBe(101);
  });

  it('counts a connection as active until it is fully closed', async () => {
    const handle = await gateway({ tickMs: 0 });
    const client = await connect(handle);
    await until(() => handle.activeConnections() === 1, 'condition', 10_000, 10);
    client.socket.close(1000, 'bye');
    expect(await client.closed).toEqual({ code: 1000, reason: 'bye' });
    await until(() => handle.activeConnections() === 0, 'condition', 10_000, 10);
  });
});

describe('server-initiated closes', () => {
  it('shutdown waits for clients that leave on their own, then notifies and closes the rest with 1001', async () => {
    const handle = await gateway({ tickMs: 0, shutdownDeadlineMs: 1500 });
    const leaver = await connect(handle);
    const stayer = await connect(handle);
    const stopped = handle.shutdown();
    expect(handle.isDraining()).toBe(true);
    expect(await upgradeStatus(subscribeUrl(handle))).toBe(503);
    leaver.socket.close(1000, 'leaving');
    expect(await leaver.closed).toEqual({ code: 1000, reason: 'leaving' });
    const closed = await stayer.closed;
    await stopped;
    expect(closed.code).toBe(1001);
    expect(stayer.parsed().at(-1)).toEqual({ type: 'status', status: 'shutting_down' });
    expect(leaver.parsed().some((m) => m.type === 'status')).toBe(false);
    expect(handle.activeConnections()).toBe(0);
  });

  it('shutdown returns without waiting for the deadline when every client has left', async () => {
    const handle = await gateway({ tickMs: 0, shutdownDeadlineMs: 600_000 });
    const client = await connect(handle);
    const stopped = handle.shutdown();
    client.socket.close(1000);
    await stopped;
    expect(handle.activeConnections()).toBe(0);
  });

  it('terminates a client that ignores the close frame after close-timeout, so the count reaches 0', async () => {
    const handle = await gateway({ tickMs: 0, closeTimeoutMs: 200, shutdownDeadlineMs: 0 });
    const stubborn = await IgnoringClient.open(handle.address, handle.port);
    clients.push({ close: () => stubborn.destroy() });
    expect(handle.activeConnections()).toBe(1);
    await handle.shutdown();
    await stubborn.ended;
    expect(handle.activeConnections()).toBe(0);
    expect(stubborn.texts().map((t) => JSON.parse(t).type)).toEqual(['hello', 'status']);
    expect(JSON.parse(stubborn.texts()[1] as string)).toEqual({ type: 'status', status: 'shutting_down' });
    expect(stubborn.closeCode()).toBe(1001);
  });

  it('close() is abrupt: clients see 1006 and no notice', async () => {
    const handle = await gateway({ tickMs: 0 });
    const client = await connect(handle);
    await handle.close();
    expect((await client.closed).code).toBe(1006);
    expect(client.parsed().map((m) => m.type)).toEqual(['hello']);
  });
});
