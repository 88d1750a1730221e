import { afterEach, describe, expect, it } from 'vitest';
import { consecutiveIPv4, startGateway, startGateways, type GatewayHandle } from '../../src/reference-gateway/index.js';
import { json, request } from './support.js';
import { RecordingClient } from '../support/ws-clients.js';

const running: GatewayHandle[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((handle) => handle.close()));
});

describe('consecutiveIPv4', () => {
  it('counts across octets', () => {
    expect(consecutiveIPv4('127.0.1.254', 4)).toEqual(['127.0.1.254', '127.0.1.255', '127.0.2.0', '127.0.2.1']);
  });

  it('rejects non-IPv4 bases and ranges past 255.255.255.255', () => {
    expect(() => consecutiveIPv4('::1', 1)).toThrow(RangeError);
    expect(() => consecutiveIPv4('127.0.0', 1)).toThrow(RangeError);
    expect(() => consecutiveIPv4('255.255.255.254', 3)).toThrow(RangeError);
  });
});

describe('startGateways', () => {
  it('runs 50 instances in one process, each on its own address and answering with its own name', async () => {
    const handles = await startGateways(50, { baseIp: '127.0.23.1', namePrefix: 'conduit', port: 0, adminPort: 0, tickMs: 0 });
    running.push(...handles);
    expect(handles.map((h) => h.name)).toEqual(Array.from({ length: 50 }, (_, i) => `conduit-${i}`));
    expect(handles.map((h) => h.address)).toEqual(consecutiveIPv4('127.0.23.1', 50));

    const answers = await Promise.all(handles.map((h) => request(`http://${h.address}:${h.adminPort}/health`)));
    answers.forEach((answer, i) => {
      expect(answer.headers['x-conduit-instance']).toBe(`conduit-${i}`);
      expect(json(answer)).toEqual({ status: 'ok', instance: `conduit-${i}`, connections: 0 });
    });

    const last = handles[49] as GatewayHandle;
    const client = await RecordingClient.open(`ws://${last.address}:${last.port}/v1/subscribe`);
    expect(await client.waitForMessage((m) => m.type === 'hello')).toMatchObject({ instance: 'conduit-49' });
    expect(handles.map((h) => h.activeConnections()).reduce((a, b) => a + b)).toBe(1);
    client.close();
  });

  it('shares one fixed port across the addresses', async () => {
    const probe = await startGateway({ bind: '127.0.23.60', port: 0, adminPort: 0 });
    const { port, adminPort } = probe;
    await probe.close();
    const handles = await startGateways(3, { baseIp: '127.0.23.61', port, adminPort, tickMs: 0 });
    running.push(...handles);
    expect(handles.map((h) => [h.port, h.adminPort])).toEqual(Array(3).fill([port, adminPort]));
  });

  it('closes the instances it started when one cannot listen', async () => {
    const blocker = await startGateway({ name: 'blocker', bind: '127.0.23.102', port: 0, adminPort: 0 });
    running.push(blocker);
    await expect(
      startGateways(3, { baseIp: '127.0.23.101', port: blocker.port, adminPort: 0, tickMs: 0 }),
    ).rejects.toThrow(/EADDRINUSE/);
    const again = await startGateway({ bind: '127.0.23.101', port: blocker.port, adminPort: 0 });
    running.push(again);
    expect(again.port).toBe(blocker.port);
  });
});
