// The layering of docs/architecture.md, checked on the real import graph of src/ so it keeps
// holding as folders are added (src/ops/probe, src/ops/migrate, src/commands/probe, …):
//
//   1. Two worlds share no code: the CLI and the test world (src/reference-gateway, src/sandbox);
//      only a type may cross (the sandbox's state file, a contract on disk, not code).
//   2. ops/ imports only ops/ and util/: never commands/, cli/, ui/, an adapter, a package, or a
//      node: module that does I/O (only the pure ones in PURE_NODE: hashing a secret for a report).
//   3. An op never reaches into another op's internals: a folder under src/ops/ is a module, and
//      from another module of ops/ only its index.ts may be imported ("internals" = every other
//      file). Root files of src/ops/ (errors.ts, status.ts, …) are modules of one file.
//   4. A verb (src/commands/<verb>/) never imports another verb; shared pieces live in
//      src/commands/shared/.
//   5. Each third-party package is imported from one owner: a top-level folder of src/, per world.
//   6. util/ imports nothing else from src/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const TEST_WORLD = ['reference-gateway', 'sandbox'];
const ADAPTERS = ['kube', 'gateway', 'static-fleet', 'sticky-sampler', 'probe'];
const MODULE_ROOTS = ['ops', 'commands'];

interface Edge {
  /** src-relative path of the importing file, e.g. ops/scale/execute.ts */
  from: string;
  /** src-relative path of the imported file, or the package name (bare) / node:… */
  to: string;
  kind: 'src' | 'package' | 'node';
  /** `import type` / `export type`: erased, no code crosses. */
  typeOnly?: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const SPECIFIER = /(?:^|[\s;])(import|export)\s([^'"]*?)from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

export function importGraph(root = SRC): Edge[] {
  return sourceFiles(root).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const from = relative(root, file);
    return [...text.matchAll(SPECIFIER)].map((m): Edge => {
      const spec = (m[3] ?? m[4] ?? m[5])!;
      const typeOnly = m[2]?.startsWith('type ') ? { typeOnly: true } : {};
      if (spec.startsWith('node:')) return { from, to: spec, kind: 'node', ...typeOnly };
      if (!spec.startsWith('.')) return { from, to: packageName(spec), kind: 'package', ...typeOnly };
      return { from, to: relative(root, resolve(dirname(file), spec)).replace(/\.js$/, '.ts'), kind: 'src', ...typeOnly };
    });
  });
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const top = (path: string) => path.split('/')[0]!;
const world = (path: string) => (TEST_WORLD.includes(top(path)) ? 'test' : 'cli');

/** `ops/scale` for ops/scale/plan.ts; undefined for files that are not in a module folder. */
function moduleOf(path: string): string | undefined {
  const parts = path.split('/');
  return MODULE_ROOTS.includes(parts[0]!) && parts.length > 2 ? `${parts[0]}/${parts[1]}` : undefined;
}

/** node: modules that compute and do no I/O; ops/ may use them. */
const PURE_NODE = ['node:crypto'];

export function violations(edges: Edge[]): string[] {
  const problems: string[] = [];
  const srcEdges = edges.filter((e) => e.kind === 'src');
  for (const e of srcEdges) {
    if (world(e.from) !== world(e.to) && !e.typeOnly) problems.push(`${e.from} → ${e.to}: the CLI and the test world share no code`);
    if (top(e.from) === 'ops' && !['ops', 'util'].includes(top(e.to))) problems.push(`${e.from} → ${e.to}: ops/ imports only ops/ and util/`);
    if (top(e.from) === 'util' && top(e.to) !== 'util') problems.push(`${e.from} → ${e.to}: util/ imports nothing else from src/`);
    const target = moduleOf(e.to);
    if (target?.startsWith('ops/') && top(e.from) === 'ops' && moduleOf(e.from) !== target && e.to !== `${target}/index.ts`) {
      problems.push(`${e.from} → ${e.to}: reaches into ${target}'s internals (import ${target}/index.ts)`);
    }
    if (target?.startsWith('commands/') && moduleOf(e.from)?.startsWith('commands/') && moduleOf(e.from) !== target && target !== 'commands/shared') {
      problems.push(`${e.from} → ${e.to}: a verb never imports another verb (share through commands/shared)`);
    }
  }
  for (const e of edges) {
    if (top(e.from) === 'ops' && e.kind !== 'src' && !PURE_NODE.includes(e.to)) problems.push(`${e.from} → ${e.to}: ops/ imports no package and no node: module (adapters do I/O)`);
  }
  const owners = new Map<string, Set<string>>();
  for (const e of edges.filter((x) => x.kind === 'package')) {
    const key = `${world(e.from)} world: ${e.to}`;
    owners.set(key, (owners.get(key) ?? new Set()).add(top(e.from)));
  }
  for (const [pkg, dirs] of owners) if (dirs.size > 1) problems.push(`${pkg} is imported from ${[...dirs].sort().join(', ')}: one owner folder per package`);
  return problems;
}

describe('the import graph of src/', () => {
  const edges = importGraph();

  it('is read (sanity: the known edges are there)', () => {
    expect(edges).toContainEqual({ from: 'ops/scale/execute.ts', to: 'ops/workload-lock/index.ts', kind: 'src' });
    expect(edges).toContainEqual({ from: 'commands/sandbox/daemon.ts', to: 'sandbox/state-file.ts', kind: 'src', typeOnly: true });
    expect(edges.some((e) => e.from === 'kube/kubeconfig.ts' && e.kind === 'package' && e.to.startsWith('@kubernetes/client-node'))).toBe(true);
    expect(edges.some((e) => e.from === 'commands/drain/index.ts' && e.to === 'commands/drain/run.ts')).toBe(true); // import('./run.js')
  });

  it('keeps every rule', () => {
    expect(violations(edges)).toEqual([]);
  });

  it('each package has the owner docs/architecture.md names', () => {
    const owner = (pkg: string) => [...new Set(edges.filter((e) => e.kind === 'package' && e.to === pkg && world(e.from) === 'cli').map((e) => top(e.from)))];
    expect(owner('commander')).toEqual(['cli']);
    expect(owner('@kubernetes/client-node')).toEqual(['kube']);
    expect(owner('undici')).toEqual([]); // the gateway client is node:http(s) (issue 11)
    expect(owner('ws')).toEqual(['probe']);
    expect(owner('yaml')).toEqual(['util']);
    expect(owner('p-limit')).toEqual(['util']);
    for (const pkg of ['chalk', 'ora', 'cli-table3']) expect(owner(pkg)).toEqual(['ui']);
  });
});

describe('the rules catch what they promise to', () => {
  const edge = (from: string, to: string, kind: Edge['kind'] = 'src'): Edge => ({ from, to, kind });
  it.each([
    ['ops → commands', edge('ops/scale/run.ts', 'commands/shared/index.ts')],
    ['ops → cli', edge('ops/drain/drain.ts', 'cli/session.ts')],
    ['ops → ui', edge('ops/status.ts', 'ui/report.ts')],
    ['ops → an adapter', edge('ops/migrate/plan.ts', 'kube/index.ts')],
    ['ops → a package', edge('ops/probe/pool.ts', 'ws', 'package')],
    ['an op into a sibling op’s internals', edge('ops/kube-drain/drain.ts', 'ops/scale/victims.ts')],
    ['a verb into another verb', edge('commands/scale/render.ts', 'commands/drain/index.ts')],
    ['CLI → test world', edge('commands/sandbox/run.ts', 'sandbox/world.ts')],
    ['test world → CLI', edge('sandbox/kube-sim/http.ts', 'util/duration.ts')],
    ['util → elsewhere', edge('util/clock.ts', 'ops/ports/index.ts')],
  ])('%s', (_what, bad) => {
    expect(violations([bad])).toHaveLength(1);
  });

  it('a package with two owners', () => {
    expect(violations([edge('ui/report.ts', 'yaml', 'package'), edge('static-fleet/fleet-file.ts', 'yaml', 'package')])).toEqual([
      'cli world: yaml is imported from static-fleet, ui: one owner folder per package',
    ]);
  });

  it('allows a sibling op’s index.ts and shared pieces', () => {
    expect(violations([edge('ops/scale/scale-down.ts', 'ops/drain/index.ts'), edge('commands/probe/run.ts', 'commands/shared/index.ts'), edge('cli/program.ts', 'commands/probe/index.ts')])).toEqual([]);
  });
});
