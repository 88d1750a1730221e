// Issue 14 item 6: gateways that are not Conduit, as a process against small real HTTP servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.js';
import { startLoopbackServer, type LoopbackServer } from '../../support/loopback-server.js';

function jsonServer(routes: Record<string, { status: number; body: unknown }>, host: string): Promise<LoopbackServer> {
  return startLoopbackServer((req, res) => {
    const route = routes[req.url ?? ''] ?? { status: 404, body: { error: 'Not Found' } };
    res.writeHead(route.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(route.body));
  }, host);
}

describe('item 6: gateways that are not Conduit — health status field and values', () => {
  let gw004: LoopbackServer;

  beforeAll(async () => {
    // Reference 004's shape: "status":"healthy", the instance in serverId, the count elsewhere.
    gw004 = await jsonServer(
      {
        '/health': { status: 200, body: { status: 'healthy', timestamp: '2026-02-07T12:00:00.000Z', serverId: 'server-1', uptime: 86400 } },
        '/stats': { status: 200, body: { sockets: { connected: 7 } } },
      },
      '127.44.9.1',
    );
  });
  afterAll(async () => gw004?.close());

  const base = () => ['status', '--instances', `server-1=${gw004.url}`, '--count-path', '/stats', '--count-field', 'sockets.connected', '-o', 'json'];

  it('reads "healthy" as ok with --health-ok-values, and the instance from --instance-field', async () => {
    const result = await runCli([...base(), '--health-ok-values', 'ok,healthy', '--instance-field', 'serverId']);
    expect(result.stderr).toBe('');
    const [row] = JSON.parse(result.stdout).instances;
    expect(row).toMatchObject({ name: 'server-1', health: 'ok', connections: 7 });
  });

  it('a different status field and draining value', async () => {
    const server = await jsonServer({ '/health': { status: 200, body: { state: { phase: 'DRAINING' } } }, '/v1/metrics': { status: 200, body: { ws: { connections: { active: 2 } } } } }, '127.44.9.2');
    try {
      const result = await runCli(['status', '--instances', `gw=${server.url}`, '--health-status-field', 'state.phase', '--health-draining-values', 'DRAINING', '-o', 'json']);
      expect(JSON.parse(result.stdout).instances[0]).toMatchObject({ health: 'draining', connections: 2 });
    } finally {
      await server.close();
    }
  });

  it('without the flags "healthy" stays unknown (never assumed ok)', async () => {
    const result = await runCli(base());
    expect(JSON.parse(result.stdout).instances[0]).toMatchObject({ health: 'unknown' });
  });

  it('an empty value list is a usage error', async () => {
    const result = await runCli([...base(), '--health-ok-values', 'ok,']);
    expect(result.code).toBe(2);
  });
});

describe('item 6: --admin-port with --instances / --fleet is applied, or refused', () => {
  let gateway: LoopbackServer;

  beforeAll(async () => {
    gateway = await jsonServer({ '/health': { status: 200, body: { status: 'ok' } }, '/v1/metrics': { status: 200, body: { ws: { connections: { active: 4 } } } } }, '127.44.9.3');
  });
  afterAll(async () => gateway?.close());

  it('applies to an admin URL written without a port', async () => {
    const result = await runCli(['status', '--instances', 'gw-a=http://127.44.9.3', '--admin-port', String(gateway.port), '-o', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).instances[0]).toMatchObject({ name: 'gw-a', health: 'ok', connections: 4 });
  });

  it('refuses (exit 2) when the URL names another port', async () => {
    const result = await runCli(['status', '--instances', `gw-a=http://127.44.9.3:${gateway.port + 1}`, '--admin-port', String(gateway.port)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--admin-port ${gateway.port} conflicts with port ${gateway.port + 1}`);
  });
});
