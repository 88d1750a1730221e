import { UsageError } from '../../ops/errors.js';

/** More simulated addresses than this is a typo, not a test. */
export const MAX_SOURCE_IPS = 1024;

const FORMS =
  'use IPv4 addresses separated by commas, a range such as 127.0.0.20-127.0.0.40, or octet ranges such as 127.0.1-20.1 (nginx ip_hash needs the third octet to differ)';

function octet(text: string, item: string): number {
  if (!/^\d{1,3}$/.test(text) || Number(text) > 255) throw new UsageError(`--source-ips: "${item}" is not a valid IPv4 address or range`, FORMS);
  return Number(text);
}

function toNumber(address: string, item: string): number {
  const parts = address.split('.');
  if (parts.length !== 4) throw new UsageError(`--source-ips: "${item}" is not a valid IPv4 address or range`, FORMS);
  return parts.reduce((n, part) => n * 256 + octet(part, item), 0);
}

function toAddress(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function tooMany(): UsageError {
  return new UsageError(`--source-ips: more than ${MAX_SOURCE_IPS} addresses`, 'a few dozen clients are enough to judge stickiness and spread');
}

/** `a.b.c.d-e.f.g.h`: every address from the first to the last, inclusive. */
function expandRange(item: string, from: string, to: string): string[] {
  const start = toNumber(from, item);
  const end = toNumber(to, item);
  if (end < start) throw new UsageError(`--source-ips: "${item}" ends before it starts`, FORMS);
  if (end - start + 1 > MAX_SOURCE_IPS) throw tooMany();
  return Array.from({ length: end - start + 1 }, (_, i) => toAddress(start + i));
}

/** nmap-style octet ranges: `127.0.1-20.1` is 127.0.1.1, 127.0.2.1 … 127.0.20.1. */
function expandOctets(item: string): string[] {
  const parts = item.split('.');
  if (parts.length !== 4) throw new UsageError(`--source-ips: "${item}" is not a valid IPv4 address or range`, FORMS);
  const choices = parts.map((part) => {
    const [low, high = low] = part.split('-');
    if (low === undefined || part.split('-').length > 2) throw new UsageError(`--source-ips: "${item}" is not a valid IPv4 address or range`, FORMS);
    const a = octet(low, item);
    const b = octet(high, item);
    if (b < a) throw new UsageError(`--source-ips: "${item}" ends before it starts`, FORMS);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
  if (choices.reduce((n, c) => n * c.length, 1) > MAX_SOURCE_IPS) throw tooMany();
  let addresses: number[][] = [[]];
  for (const options of choices) addresses = addresses.flatMap((prefix) => options.map((o) => [...prefix, o]));
  return addresses.map((octets) => octets.join('.'));
}

/** Parse --source-ips into distinct addresses, in the order given. Bad input → UsageError (exit 2). */
export function parseSourceIps(text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--source-ips: "${text}" has an empty entry`, FORMS);
  const addresses = new Set<string>();
  for (const item of items) {
    const halves = item.split('-');
    const expanded =
      halves.length === 2 && halves[0]!.split('.').length === 4 && halves[1]!.split('.').length === 4
        ? expandRange(item, halves[0]!, halves[1]!)
        : expandOctets(item);
    for (const address of expanded) addresses.add(address);
    if (addresses.size > MAX_SOURCE_IPS) throw tooMany();
  }
  return [...addresses];
}
