// No two test files can collide on a loopback address: every range has one owner, and every
// address a test file binds lies in its own ranges.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cidrBounds, ipNumber, LOOPBACK_RANGES, loopbackRanges } from './loopback.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? testFiles(path) : path.endsWith('.ts') ? [relative(ROOT, path)] : [];
  });
}

/** Addresses a file binds or hands out: CIDRs, --base-ip/--bind/--client-ips values, servers started on an address. */
const BOUND = /(?:--base-ip['"],\s*['"]|--bind['"],\s*['"]|\.start\(\s*['"]|startLoopbackServer\(\s*['"]|(?:podCidr|serviceCidr):\s*['"]|--pod-cidr['"],\s*['"]|--service-cidr['"],\s*['"]|--client-ips['"],\s*['"])(127\.\d+\.\d+\.\d+(?:\/\d+)?)|['"](127\.\d+\.\d+\.\d+\/\d+)['"]/g;

export function overlaps(ranges: Record<string, readonly string[]>): string[] {
  const all = Object.entries(ranges).flatMap(([file, cidrs]) => cidrs.map((cidr) => ({ file, cidr, bounds: cidrBounds(cidr) })));
  const problems: string[] = [];
  for (let i = 0; i < all.length; i++)
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i]!;
      const b = all[j]!;
      if (a.file !== b.file && a.bounds[0] <= b.bounds[1] && b.bounds[0] <= a.bounds[1]) problems.push(`${a.file} ${a.cidr} overlaps ${b.file} ${b.cidr}`);
    }
  return problems;
}

describe('loopback ranges', () => {
  it('no two test files share a range', () => {
    expect(overlaps(LOOPBACK_RANGES)).toEqual([]);
  });

  it('fails when two files share one (the check itself)', () => {
    expect(overlaps({ 'a.test.ts': ['127.0.120.0/24'], 'b.test.ts': ['127.0.120.0/24'] })).toHaveLength(1);
    expect(overlaps({ 'a.test.ts': ['127.0.4.0/29'], 'b.test.ts': ['127.0.4.8/29'] })).toEqual([]);
  });

  it('every address a test file binds is in its own ranges', () => {
    const outside: string[] = [];
    const registry = ['test/support/loopback.ts', 'test/support/loopback.test.ts'];
    for (const file of testFiles(join(ROOT, 'test')).filter((f) => !registry.includes(f))) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const match of text.matchAll(BOUND)) {
        const address = (match[1] ?? match[2])!;
        if (address === '127.0.0.1') continue;
        const [first, last] = address.includes('/') ? cidrBounds(address) : [ipNumber(address), ipNumber(address)];
        const owned = (LOOPBACK_RANGES[file] ?? []).some((cidr) => {
          const [lo, hi] = cidrBounds(cidr);
          return lo <= first && last <= hi;
        });
        if (!owned) outside.push(`${file}: ${address}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('every owner exists', () => {
    for (const file of Object.keys(LOOPBACK_RANGES)) expect(statSync(join(ROOT, file)).isFile(), file).toBe(true);
  });

  it('a file asks for its own ranges', () => {
    expect(() => loopbackRanges(import.meta.url)).toThrow(/owns no loopback range/);
    expect(loopbackRanges(new URL('../e2e/scale-kube-sim.test.ts', import.meta.url).href)).toEqual(['127.0.120.0/24', '127.0.121.0/24']);
  });
});
