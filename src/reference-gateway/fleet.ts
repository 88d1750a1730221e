// Many instances in one process, each on its own consecutive IPv4 address (every address in
// 127.0.0.0/8 is local on Linux, so a fleet of "pods" gets distinct IPs on one machine).
import { isIPv4 } from 'node:net';
import { startGateway, type GatewayHandle, type GatewayOptions } from './gateway.js';

export interface FleetOptions extends Omit<GatewayOptions, 'name' | 'bind'> {
  /** First address; instance i binds baseIp + i. Default 127.0.1.1. */
  baseIp?: string;
  /** Instance i is named `${namePrefix}-${i}`. Default "conduit". */
  namePrefix?: string;
}

export const FLEET_DEFAULTS = { baseIp: '127.0.1.1', namePrefix: 'conduit' } as const;

/** The `count` consecutive IPv4 addresses starting at `baseIp`; throws when they leave IPv4. */
export function consecutiveIPv4(baseIp: string, count: number): string[] {
  if (!isIPv4(baseIp)) throw new RangeError(`"${baseIp}" is not an IPv4 address`);
  const start = baseIp.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  if (start + count - 1 > 0xffffffff) throw new RangeError(`${count} addresses from ${baseIp} run past 255.255.255.255`);
  return Array.from({ length: count }, (_, i) => {
    const n = start + i;
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  });
}

export async function startGateways(count: number, options: FleetOptions = {}): Promise<GatewayHandle[]> {
  const { baseIp = FLEET_DEFAULTS.baseIp, namePrefix = FLEET_DEFAULTS.namePrefix, ...gatewayOptions } = options;
  const addresses = consecutiveIPv4(baseIp, count);
  const started = await Promise.allSettled(
    addresses.map((bind, i) => startGateway({ ...gatewayOptions, name: `${namePrefix}-${i}`, bind })),
  );
  const handles = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = started.find((result) => result.status === 'rejected');
  if (failure !== undefined) {
    await Promise.all(handles.map((handle) => handle.close()));
    throw failure.reason;
  }
  return handles;
}
