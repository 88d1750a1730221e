// Issue 14 item 1: the admin contract's boot id. A file-fleet instance has no uid or restart
// count; the boot id in /v1/metrics is what tells a client "this is another process now".
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type GatewayHandle } from '../../src/reference-gateway/index.js';
import { json, request } from './support.js';

const ADDRESS = '127.44.1.1';
const running: GatewayHandle[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((handle) => handle.close()));
});

async function start(adminPort = 0): Promise<GatewayHandle> {
  const handle = await startGateway({ bind: ADDRESS, port: 0, adminPort, tickMs: 0, name: 'gw-k' });
  running.push(handle);
  return handle;
}

const bootIdOf = async (handle: GatewayHandle) =>
  (json(await request(`http://${handle.address}:${handle.adminPort}/v1/metrics`)) as { bootId?: unknown }).bootId;

describe('item 1: a gateway restarted mid-drain — the reference gateway offers a boot id', () => {
  it('keeps one boot id for the life of a process and a new one after a restart on the same address', async () => {
    const first = await start();
    const bootId = await bootIdOf(first);
    expect(bootId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await bootIdOf(first)).toBe(bootId);

    const adminPort = first.adminPort;
    await first.close();
    running.splice(running.indexOf(first), 1);
    const restarted = await start(adminPort);
    const after = await bootIdOf(restarted);
    expect(after).toMatch(/^[0-9a-f-]{36}$/);
    expect(after).not.toBe(bootId);
  });
});
