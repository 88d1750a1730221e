// Pod IPs from a loopback CIDR (127.0.0.0/8 is all local on Linux): each pod listens on its own
// address, so several pods use the same ports, as on a cluster. Tests give each world its own range.
import { isIPv4 } from 'node:net';

export interface IpPool {
  readonly cidr: string;
  /** The address held by key, allocating the lowest free one; throws when the range is full. */
  allocate(key: string): string;
  release(key: string): void;
  /** How many pod addresses the range holds. */
  size(): number;
}

export function parseLoopbackCidr(cidr: string): { first: number; count: number } {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(cidr);
  if (!match || !isIPv4(match[1]!)) throw new Error(`"${cidr}" is not an IPv4 CIDR such as 127.0.100.0/24`);
  const bits = Number(match[2]);
  if (bits < 8 || bits > 30) throw new Error(`${cidr}: the prefix must be between /8 and /30`);
  const base = toNumber(match[1]!);
  const size = 2 ** (32 - bits);
  const network = base - (base % size);
  if (network >>> 24 !== 127) throw new Error(`${cidr} is not in the loopback range 127.0.0.0/8`);
  // Skip the network and broadcast addresses, as a cluster's IPAM does.
  return { first: network + 1, count: size - 2 };
}

export function createIpPool(cidr: string): IpPool {
  const { first, count } = parseLoopbackCidr(cidr);
  const byKey = new Map<string, number>();
  const used = new Set<number>();
  return {
    cidr,
    allocate(key) {
      const held = byKey.get(key);
      if (held !== undefined) return toAddress(held);
      for (let n = first; n < first + count; n += 1) {
        if (!used.has(n)) {
          used.add(n);
          byKey.set(key, n);
          return toAddress(n);
        }
      }
      throw new Error(`no free pod IP left in ${cidr}`);
    },
    release(key) {
      const held = byKey.get(key);
      if (held === undefined) return;
      byKey.delete(key);
      used.delete(held);
    },
    size: () => count,
  };
}

function toNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function toAddress(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
