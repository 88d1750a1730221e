// A file fleet of real reference gateways (faults enabled, no ticks) for drain tests: started
// before the file's tests, every fault and drain undone after each test, stopped after the file.
import { afterAll, afterEach, beforeAll } from 'vitest';
import type WebSocket from 'ws';
import type { RunningCli } from './run-cli.js';
import { startGatewayProcess, type GatewayProcess } from './gateway-process.js';
import { closeClients } from './ws-clients.js';
import { setFault, writeFleetFile } from './fleet-file.js';

export interface DrainFleetWorld {
  gateway: GatewayProcess;
  fleet: ReturnType<typeof writeFleetFile>;
  /** Clients a test opened: closed after it. */
  clients: WebSocket[];
  /** A CLI a test started: killed after it. */
  running: RunningCli | undefined;
}

export function useDrainFleetWorld(instances: number, baseIp: string): DrainFleetWorld {
  const world = { clients: [], running: undefined } as unknown as DrainFleetWorld;

  beforeAll(async () => {
    world.gateway = await startGatewayProcess(['--instances', String(instances), '--base-ip', baseIp, '--enable-faults', '--tick-ms', '0']);
    world.fleet = writeFleetFile(world.gateway);
  });

  afterEach(async () => {
    world.running?.child.kill('SIGKILL');
    world.running = undefined;
    await closeClients(world.clients);
    world.clients = [];
    for (let i = 0; i < instances; i++) {
      await setFault(world.gateway.adminUrl(i), { metrics: null, health: null, drain: null });
      await fetch(`${world.gateway.adminUrl(i)}/admin/undrain`, { method: 'POST' });
    }
  });

  afterAll(async () => {
    await world.gateway?.stop();
    world.fleet?.remove();
  });

  return world;
}
