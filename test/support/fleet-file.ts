import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GatewayProcess } from './gateway-process.js';

/** Writes a fleet.yaml naming every instance of a gateway process; returns its path and a cleanup. */
export function writeFleetFile(gateway: GatewayProcess): { path: string; dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'conduitctl-fleet-'));
  const path = join(dir, 'fleet.yaml');
  const lines = gateway.instances.map(
    (instance, i) => `  - name: ${instance.name}\n    admin: ${gateway.adminUrl(i)}\n    ws: ${gateway.wsUrl(i)}`,
  );
  writeFileSync(path, `instances:\n${lines.join('\n')}\n`);
  return { path, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function setFault(adminUrl: string, fault: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${adminUrl}/_faults`, { method: 'POST', body: JSON.stringify(fault), headers: { 'content-type': 'application/json' } });
  if (!response.ok) throw new Error(`setting fault failed: ${response.status} ${await response.text()}`);
}

export async function healthOf(adminUrl: string): Promise<{ status: string; connections: number }> {
  const response = await fetch(`${adminUrl}/health`);
  return (await response.json()) as { status: string; connections: number };
}
