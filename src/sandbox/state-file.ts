// The sandbox daemon's state file (STATE_DIR/state.json): what `conduitctl sandbox status|down`
// read. Written atomically (temp file + rename) so a reader never sees half a document.
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SandboxStatePod {
  name: string;
  ip?: string;
  pid?: number;
  ready: boolean;
  phase?: string;
}

export interface SandboxState {
  status: 'starting' | 'ready';
  pid: number;
  /** The daemon leads its own process group; pods run in it too. */
  pgid: number;
  startedAt: string;
  apiUrl?: string;
  controlUrl?: string;
  kubeconfigPath?: string;
  namespace?: string;
  podCidr: string;
  serviceCidr: string;
  mode: 'process' | 'in-process';
  service?: { name: string; clusterIP: string; port: number };
  pods: SandboxStatePod[];
}

export const STATE_FILE = 'state.json';

export async function writeStateFile(stateDir: string, state: SandboxState): Promise<void> {
  const path = join(stateDir, STATE_FILE);
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  await rename(temp, path);
}
