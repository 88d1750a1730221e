import { request } from 'node:https';
import type { KubeSim } from '../../../src/sandbox/kube-sim/index.js';

export interface WatchLine {
  type: string;
  object: any;
}

/**
 * Opens a watch; `connected` resolves once headers arrived, `ended` with every event when the
 * server closes the stream (use timeoutSeconds) or after stop().
 */
export function openWatch(sim: KubeSim, path: string) {
  const events: WatchLine[] = [];
  let connectedResolve: () => void;
  const connected = new Promise<void>((resolve) => (connectedResolve = resolve));
  let stop = () => {};
  const ended = new Promise<WatchLine[]>((resolve, reject) => {
    const req = request(new URL(path, sim.url), { ca: sim.caPem, headers: { Authorization: `Bearer ${sim.token}` } }, (res) => {
      connectedResolve();
      let buffered = '';
      res.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buffered.slice(0, newline)) as WatchLine);
          buffered = buffered.slice(newline + 1);
        }
      });
      res.on('end', () => resolve(events));
      res.on('close', () => resolve(events));
    });
    req.on('error', (e) => (events.length ? resolve(events) : reject(e)));
    stop = () => req.destroy();
    req.end();
  });
  return { connected, ended, events, stop: () => stop() };
}

/** Polls until `check` passes or the bounded number of tries runs out. */
export async function eventually(check: () => boolean, tries = 200, everyMs = 25): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error('condition not reached');
}
