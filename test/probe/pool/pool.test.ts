import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createProbePool } from '../../../src/probe/pool/index.js';
import type { ProbePool } from '../../../src/ops/ports/probe.js';
import { until } from '../../support/until.js';
import { startScriptedServer, type ScriptedServer } from './scripted-server.js';

// This file's loopback range: 127.40.1.0/24.
const HOST = '127.40.1.1';
const OTHER_HOST = '127.40.1.2';

const servers: ScriptedServer[] = [];
const pools: ProbePool[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.stop()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(options: Parameters<typeof startScriptedServer>[0]): Promise<ScriptedServer> {
  const started = await startScriptedServer(options);
  servers.push(started);
  return started;
}

function pool(options: Parameters<typeof createProbePool>[0]): ProbePool {
  const created = createProbePool({ backoffBaseMs: 20, backoffCapMs: 100, ...options });
  pools.push(created);
  created.start();
  return created;
}

describe('probe pool', () => {
  it('opens every connection, spreads them over the source addresses and sends headers and the subprotocol', async () => {
    const gateway = await server({ host: HOST, instance: 'gw-a' });
    const probe = pool({
      url: gateway.url,
      connections: 6,
      connectRatePerSecond: 1000,
      sourceAddresses: ['127.40.1.10', '127.40.1.11', '127.40.1.12'],
      headers: { 'x-probe': 'yes' },
      subprotocols: ['conduit.v1'],
    });
    await until(() => probe.snapshot().open === 6, 'six open connections', 10_000, 10);
    const snapshot = probe.snapshot();
    expect(snapshot).toMatchObject({ opened: 6, everOpened: 6, failed: 0, distribution: { 'gw-a': 6 }, firstDistribution: { 'gw-a': 6 } });
    expect(gateway.sockets.map((s) => s.remoteAddress).sort()).toEqual(
      ['127.40.1.10', '127.40.1.10', '127.40.1.11', '127.40.1.11', '127.40.1.12', '127.40.1.12'],
    );
    expect(gateway.sockets.every((s) => s.headers['x-probe'] === 'yes' && s.protocol === 'conduit.v1')).toBe(true);
    expect(gateway.sockets.every((s) => s.headers['sec-websocket-extensions'] === undefined)).toBe(true);
  });

  it('counts a close after a notice as clean, and reconnects with the cookie the gateway set', async () => {
    const gateway = await server({ host: HOST, instance: 'gw-a', setCookie: 'SERVERID=s1; Path=/' });
    const probe = pool({ url: gateway.url, connections: 2, connectRatePerSecond: 1000 });
    await until(() => probe.snapshot().open === 2, 'two open', 10_000, 10);
    for (const s of gateway.open()) {
      s.ws.send(JSON.stringify({ type: 'status', status: 'shutting_down' }));
      s.ws.close(1001, 'shutting down');
    }
    await until(() => probe.snapshot().opened === 4 && probe.snapshot().open === 2, 'both back', 10_000, 10);
    const snapshot = probe.snapshot();
    expect(snapshot).toMatchObject({ closes: 2, clean: 2, silent: 0, closesByCode: { '1001': 2 }, noticesByKind: { shutting_down: 2 } });
    expect(snapshot.reconnectMs).toHaveLength(2);
    expect(gateway.sockets.slice(0, 2).map((s) => s.cookie)).toEqual([undefined, undefined]);
    expect(gateway.sockets.slice(2).map((s) => s.cookie)).toEqual(['SERVERID=s1', 'SERVERID=s1']);
    expect(snapshot.samples.closes[0]).toMatchObject({ code: 1001, reason: 'shutting down', notice: 'shutting_down', instance: 'gw-a', silent: null });
  });

  it('counts a close without a notice and a 1006 as silent, attributed to the instance', async () => {
    const gateway = await server({ host: HOST, instance: 'gw-b' });
    const probe = pool({ url: gateway.url, connections: 2, connectRatePerSecond: 1000 });
    await until(() => probe.snapshot().open === 2, 'two open', 10_000, 10);
    const [first, second] = gateway.open();
    first!.ws.close(1001, 'bye');
    second!.ws.terminate();
    await until(() => probe.snapshot().closes === 2, 'two closes', 10_000, 10);
    const snapshot = probe.snapshot();
    expect(snapshot).toMatchObject({ clean: 0, silent: 2, silentByInstance: { 'gw-b': 2 }, silentByCause: { 'no-notice': 1, abnormal: 1 } });
    expect(snapshot.closesByCode).toEqual({ '1001': 1, '1006': 1 });
  });

  it('without notices, only an abnormal close is silent', async () => {
    const gateway = await server({ host: HOST, instance: 'gw-c' });
    const probe = pool({ url: gateway.url, connections: 2, connectRatePerSecond: 1000, protocol: { notices: false } });
    await until(() => probe.snapshot().open === 2, 'two open', 10_000, 10);
    const [first, second] = gateway.open();
    first!.ws.close(1001, 'bye');
    second!.ws.terminate();
    await until(() => probe.snapshot().closes === 2, 'two closes', 10_000, 10);
    expect(probe.snapshot()).toMatchObject({ clean: 1, silent: 1, silentByCause: { abnormal: 1 } });
  });

  it('follows a migrating notice to its new endpoint', async () => {
    const from = await server({ host: HOST, instance: 'gw-old' });
    const to = await server({ host: OTHER_HOST, instance: 'gw-new' });
    const probe = pool({ url: from.url, connections: 3, connectRatePerSecond: 1000 });
    await until(() => probe.snapshot().open === 3, 'three open', 10_000, 10);
    for (const s of from.open()) {
      s.ws.send(JSON.stringify({ type: 'status', status: 'migrating', details: { new_endpoint: to.url, reconnect_after: 30 } }));
      s.ws.close(1012, 'migrating');
    }
    await until(() => probe.snapshot().distribution['gw-new'] === 3, 'all three on gw-new', 10_000, 10);
    const snapshot = probe.snapshot();
    expect(snapshot).toMatchObject({ migrations: 3, clean: 3, silent: 0, moved: 3, firstDistribution: { 'gw-old': 3 } });
    expect(from.sockets).toHaveLength(3);
  });

  it('keeps trying the new endpoint when its first upgrade is refused, instead of going back to the pod that sent it away', async () => {
    const from = await server({ host: HOST, instance: 'gw-old' });
    const to = await server({ host: OTHER_HOST, instance: 'gw-new' });
    const probe = pool({ url: from.url, connections: 2, connectRatePerSecond: 1000 });
    await until(() => probe.snapshot().open === 2, 'two open', 10_000, 10);
    to.refuseWith = 503;
    for (const s of from.open()) {
      s.ws.send(JSON.stringify({ type: 'status', status: 'migrating', details: { new_endpoint: to.url, reconnect_after: 10 } }));
      s.ws.close(1012, 'migrating');
    }
    await until(() => probe.snapshot().failed >= 2, 'the first attempts refused', 10_000, 10);
    to.refuseWith = undefined;
    await until(() => probe.snapshot().distribution['gw-new'] === 2, 'both on gw-new', 10_000, 10);
    expect(from.sockets).toHaveLength(2);
    expect(probe.snapshot()).toMatchObject({ clean: 2, silent: 0, distribution: { 'gw-new': 2 } });
  });

  it('falls back to the probed URL when the new endpoint keeps failing (the pod it named is gone)', async () => {
    const from = await server({ host: HOST, instance: 'gw-old' });
    const probe = pool({ url: from.url, connections: 1, connectRatePerSecond: 1000 });
    await until(() => probe.snapshot().open === 1, 'open', 10_000, 10);
    const [socket] = from.open();
    socket!.ws.send(JSON.stringify({ type: 'status', status: 'migrating', details: { new_endpoint: 'ws://127.40.1.3:9/v1/subscribe', reconnect_after: 10 } }));
    socket!.ws.close(1012, 'migrating');
    await until(() => from.sockets.length === 2 && probe.snapshot().open === 1, 'back on gw-old', 10_000, 10);
    expect(probe.snapshot().failed).toBe(3);
  });

  it('reads instance, sequence and notices from fields the flags name', async () => {
    const gateway = await server({ host: HOST, instance: 'gw-x', hello: (name) => JSON.stringify({ meta: { serverId: name } }) });
    const probe = pool({
      url: gateway.url,
      connections: 1,
      connectRatePerSecond: 1000,
      protocol: { instanceField: 'meta.serverId', seqField: 'n', noticeField: 'event' },
    });
    await until(() => probe.snapshot().open === 1, 'open', 10_000, 10);
    const [socket] = gateway.open();
    for (const n of [1, 2, 5, 6]) socket!.ws.send(JSON.stringify({ n }));
    socket!.ws.send(JSON.stringify({ event: 'bye' }));
    socket!.ws.close(1000);
    await until(() => probe.snapshot().closes === 1, 'closed', 10_000, 10);
    expect(probe.snapshot()).toMatchObject({ distribution: {}, firstDistribution: { 'gw-x': 1 }, gaps: 2, gapEvents: 1, gapsByInstance: { 'gw-x': 2 }, clean: 1 });
  });

  it('counts a skipped tick of the reference format as a gap', async () => {
    const gateway = await server({ host: HOST, instance: 'gw-t' });
    const probe = pool({ url: gateway.url, connections: 1, connectRatePerSecond: 1000 });
    await until(() => probe.snapshot().open === 1, 'open', 10_000, 10);
    for (const seq of [1, 2, 3, 5]) gateway.open()[0]!.ws.send(`{"type":"tick","seq":${seq}}`);
    await until(() => probe.snapshot().gaps === 1, 'a gap', 10_000, 10);
    expect(probe.snapshot()).toMatchObject({ gaps: 1, gapEvents: 1 });
  });

  it('declares a peer that stops answering pings a silent drop (ping timeout)', async () => {
    const gateway = await server({ host: HOST, instance: 'gw-p', autoPong: false });
    const probe = pool({ url: gateway.url, connections: 1, connectRatePerSecond: 1000, pingIntervalMs: 100, pingTimeoutMs: 200 });
    await until(() => probe.snapshot().closes >= 1, 'ping timeout', 10_000, 10);
    expect(probe.snapshot()).toMatchObject({ silentByCause: { 'ping-timeout': 1 }, silentByInstance: { 'gw-p': 1 } });
  });

  it('counts refused upgrades by HTTP status and refused connections by cause, then keeps trying', async () => {
    const gateway = await server({ host: HOST, instance: 'gw-r' });
    gateway.refuseWith = 503;
    const probe = pool({ url: gateway.url, connections: 2, connectRatePerSecond: 1000 });
    await until(() => probe.snapshot().failed >= 4, 'failures', 10_000, 10);
    expect(probe.snapshot().failuresByHttpStatus['503']).toBeGreaterThanOrEqual(4);
    expect(probe.snapshot().samples.failures[0]).toMatchObject({ cause: 'http', httpStatus: 503, detail: 'HTTP 503 instead of 101' });
    gateway.refuseWith = undefined;
    await until(() => probe.snapshot().open === 2, 'open once accepted', 10_000, 10);

    const closedPort = createProbePool({ url: 'ws://127.40.1.3:9/v1/subscribe', connections: 1, connectRatePerSecond: 1000 });
    pools.push(closedPort);
    closedPort.start();
    await until(() => closedPort.snapshot().failed >= 1, 'refused', 10_000, 10);
    expect(closedPort.snapshot().failuresByCause).toMatchObject({ refused: expect.any(Number) });
  });

  it('stop() closes every connection with 1000 and never reconnects', async () => {
    const gateway = await server({ host: HOST, instance: 'gw-s' });
    const probe = pool({ url: gateway.url, connections: 3, connectRatePerSecond: 1000 });
    await until(() => probe.snapshot().open === 3, 'three open', 10_000, 10);
    const codes: number[] = [];
    for (const s of gateway.open()) s.ws.on('close', (code) => codes.push(code));
    await probe.stop();
    await until(() => codes.length === 3, 'server saw three closes', 10_000, 10);
    expect(codes).toEqual([1000, 1000, 1000]);
    expect(probe.snapshot()).toMatchObject({ open: 0, closes: 0 });
    expect(gateway.sockets).toHaveLength(3);
  });

  it('an upgrade that is never answered fails as a handshake timeout, judged by the shared sweep', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.40.1.4', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const probe = pool({ url: `ws://127.40.1.4:${port}/v1/subscribe`, connections: 2, connectRatePerSecond: 1000, handshakeTimeoutMs: 200, pingIntervalMs: 1_000 });
      await until(() => probe.snapshot().failed >= 2, 'two timeouts', 10_000, 10);
      expect(probe.snapshot().failuresByCause).toEqual({ timeout: probe.snapshot().failed });
      expect(probe.snapshot().samples.failures[0]).toMatchObject({ cause: 'timeout', detail: 'no hello within 200 ms' });
      await probe.stop();
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
