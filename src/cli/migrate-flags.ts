// The flags every moving verb shares (migrate, rebalance, drain --migrate, scale --migrate):
// pacing, the reconnect window, capacity, and the WebSocket endpoint clients are sent to.
import { Option, type Command } from 'commander';
import { UsageError } from '../ops/errors.js';
import { pacingOf, type Pacing } from '../ops/migrate/pacing.js';
import { DEFAULT_RECONNECT_WINDOW, type ReconnectWindow } from '../ops/migrate/reconnect-window.js';
import { DEFAULT_WS_ENDPOINT, type WsEndpoint } from '../ops/migrate/ws-url.js';
import { durationFlag, integerFlag } from './flags.js';

export interface MigrateFlagValues {
  pacing: Pacing;
  window: ReconnectWindow;
  /** Per-instance limit overriding conduit.dev/max-connections. */
  maxConnections?: number;
  ws: WsEndpoint;
  reconnectUrl?: string;
  /** With reconnectUrl: how long the source may take to leave rotation. */
  rotationTimeoutMs: number;
}

const GROUP = 'Moving connections:';

export function addMigrateOptions(command: Command, { reconnectUrl = true } = {}): Command {
  const options = [
    new Option('--rate <n/s>', 'clients sent away per second, e.g. 200/s (default 200/s)'),
    new Option('--batch-size <n>', 'clients per batch (with --interval instead of --rate)'),
    new Option('--interval <duration>', 'time between batches (with --batch-size)'),
    new Option('--reconnect-after <window>', 'clients reconnect after a random delay in this window (close code 1012’s guidance)').default('5s-30s'),
    new Option('--max-connections <n>', 'connections one instance may hold (default: the conduit.dev/max-connections annotation)'),
    new Option('--ws-port <port>', 'public WebSocket port clients are sent to').default(String(DEFAULT_WS_ENDPOINT.port)),
    new Option('--ws-path <path>', 'public WebSocket path clients are sent to').default(DEFAULT_WS_ENDPOINT.path),
    ...(reconnectUrl
      ? [
          new Option('--reconnect-url <url>', 'send clients through this load balancer or Service URL (the source must be out of rotation)'),
          new Option('--rotation-timeout <duration>', 'with --reconnect-url: how long to wait for the source to leave rotation').default('30s'),
        ]
      : []),
  ];
  for (const option of options) command.addOption(option.helpGroup(GROUP));
  return command;
}

export function readMigrateFlags(flags: Record<string, unknown>): MigrateFlagValues {
  const text = (key: string) => (typeof flags[key] === 'string' ? (flags[key] as string) : undefined);
  const rate = text('rate');
  const batchSize = text('batchSize');
  const interval = text('interval');
  if (rate !== undefined && batchSize !== undefined && interval !== undefined) throw new UsageError('give --rate, or --batch-size with --interval, not all three');
  const pacing = pacingOf({
    ...(rate !== undefined ? { ratePerSecond: rateFlag(rate) } : {}),
    ...(batchSize !== undefined ? { batchSize: integerFlag('--batch-size', batchSize, { min: 1, max: 100_000 }) } : {}),
    ...(interval !== undefined ? { intervalMs: durationFlag('--interval', interval) } : {}),
  });
  const wsPath = text('wsPath') ?? DEFAULT_WS_ENDPOINT.path;
  if (!wsPath.startsWith('/') || /[\s#]/.test(wsPath)) throw new UsageError(`--ws-path: "${wsPath}" must be a path starting with /`);
  const maxConnections = text('maxConnections');
  const reconnectUrl = text('reconnectUrl');
  return {
    pacing,
    window: reconnectWindowFlag(text('reconnectAfter') ?? '5s-30s'),
    ...(maxConnections !== undefined ? { maxConnections: integerFlag('--max-connections', maxConnections, { min: 1 }) } : {}),
    ws: { port: integerFlag('--ws-port', text('wsPort') ?? String(DEFAULT_WS_ENDPOINT.port), { min: 1, max: 65535 }), path: wsPath },
    ...(reconnectUrl !== undefined ? { reconnectUrl: wsUrlFlag(reconnectUrl) } : {}),
    rotationTimeoutMs: durationFlag('--rotation-timeout', text('rotationTimeout') ?? '30s'),
  };
}

/** "2000/s", "2000" (per second) or "120/m". */
export function rateFlag(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(?:\/(s|m))?$/.exec(text.trim());
  if (!match) throw new UsageError(`--rate: "${text}" is not a rate such as 200/s`);
  const value = Number(match[1]) / (match[2] === 'm' ? 60 : 1);
  if (!(value > 0) || value > 1_000_000) throw new UsageError(`--rate: "${text}" is out of range`);
  return value;
}

/** "5s-30s", "0s-500ms", or one duration "2s" (no jitter). */
export function reconnectWindowFlag(text: string): ReconnectWindow {
  const parts = text.trim().split('-');
  if (parts.length > 2 || parts.some((p) => p === '')) throw new UsageError(`--reconnect-after: "${text}" is not a window such as 5s-30s`);
  const [minMs, maxMs] = parts.map((p) => durationFlag('--reconnect-after', p, { allowZero: true })) as [number, number?];
  const window = { minMs, maxMs: maxMs ?? minMs };
  if (window.maxMs < window.minMs) throw new UsageError(`--reconnect-after: the window ${text} ends before it starts`);
  return window;
}

function wsUrlFlag(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--reconnect-url: "${text}" is not a URL such as ws://lb.example.com/v1/subscribe`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new UsageError(`--reconnect-url: "${text}" must be a ws:// or wss:// URL`);
  if (url.username || url.password) throw new UsageError('--reconnect-url: credentials in the URL would be sent to every client; remove them');
  return url.href;
}

export { DEFAULT_RECONNECT_WINDOW };
