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

  it('every address a runbook of docs/runbooks/ writes is in the ranges of the test file that runs it', () => {
    const outside: string[] = [];
    const dir = join(ROOT, 'docs/runbooks');
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
      const owner = `test/e2e/runbooks/${name.replace(/\.md$/, '.test.ts')}`;
      const owned = (LOOPBACK_RANGES[owner] ?? []).map(cidrBounds);
      for (const literal of loopbackLiterals(readFileSync(join(dir, name), 'utf8'))) {
        const [first, last] = literal.bounds;
        // 127.0.0.0/24 is everyone's: the source address of a client that binds none, as output shows it.
        if (last <= ipNumber('127.0.0.255')) continue;
        if (!literal.addresses.every((a) => owned.some(([lo, hi]) => lo <= a && a <= hi)) || first > last) outside.push(`docs/runbooks/${name}: ${literal.text} (owner ${owner})`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('reads the address forms a runbook writes: single, CIDR, octet ranges, first-last', () => {
    const forms = loopbackLiterals('bind 127.48.62.1:8080; --source-ips 127.48.64-69.1 and 127.48.12.1-3, 127.0.0.20-127.0.0.22 in 127.48.64.0/24');
    expect(forms.map((f) => f.text)).toEqual(['127.48.62.1', '127.48.64-69.1', '127.48.12.1-3', '127.0.0.20-127.0.0.22', '127.48.64.0/24']);
    expect(forms[1]!.addresses).toHaveLength(6);
    expect(forms[2]!.addresses).toEqual([ipNumber('127.48.12.1'), ipNumber('127.48.12.2'), ipNumber('127.48.12.3')]);
    expect(forms[3]!.addresses).toHaveLength(3);
    expect(forms[4]!.bounds).toEqual(cidrBounds('127.48.64.0/24'));
  });

  it('every owner exists', () => {
    for (const file of Object.keys(LOOPBACK_RANGES)) expect(statSync(join(ROOT, file)).isFile(), file).toBe(true);
  });

  it('a file asks for its own ranges', () => {
    expect(() => loopbackRanges(import.meta.url)).toThrow(/owns no loopback range/);
    expect(loopbackRanges(new URL('../e2e/scale-kube-sim.test.ts', import.meta.url).href)).toEqual(['127.0.120.0/24', '127.0.121.0/24']);
  });
});

/**
 * Loopback literals in prose and commands: `127.a.b.c`, `…/N`, octet ranges (`127.48.64-69.1`,
 * `127.48.12.1-30`) and `first-last` (`127.0.0.20-127.0.0.40`), each with every address it names
 * (a CIDR only by its bounds).
 */
function loopbackLiterals(text: string): { text: string; bounds: [number, number]; addresses: number[] }[] {
  const octet = String.raw`\d{1,3}(?:-\d{1,3})?`;
  const literal = new RegExp(String.raw`\b127\.\d{1,3}\.\d{1,3}\.\d{1,3}-127\.\d{1,3}\.\d{1,3}\.\d{1,3}\b|\b127\.\d{1,3}\.\d{1,3}\.\d{1,3}\/\d{1,2}\b|\b127\.${octet}\.${octet}\.${octet}\b`, 'g');
  return [...text.matchAll(literal)].map(([match]) => {
    if (match.includes('/')) return { text: match, bounds: cidrBounds(match), addresses: cidrBounds(match) };
    const full = /^(127(?:\.\d+){3})-(127(?:\.\d+){3})$/.exec(match);
    if (full) {
      const [lo, hi] = [ipNumber(full[1]!), ipNumber(full[2]!)];
      return { text: match, bounds: [lo, hi], addresses: Array.from({ length: Math.max(0, Math.min(hi - lo + 1, 4096)) }, (_, i) => lo + i) };
    }
    const ranges = match.split('.').map((part) => part.split('-').map(Number) as [number, number?]);
    let addresses = [0];
    for (const [from, to = from] of ranges) addresses = addresses.flatMap((a) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => a * 256 + from + i));
    return { text: match, bounds: [Math.min(...addresses), Math.max(...addresses)], addresses };
  });
}
