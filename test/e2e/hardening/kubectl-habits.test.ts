// Issue 14 item 8: kubectl's habits, as a process. A small HTTP server stands in for the API server
// (and its pods/proxy) and records every request's path and headers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.js';
import { startLoopbackServer, type LoopbackServer } from '../../support/loopback-server.js';

const TOKEN = 'kube-token-7d1f9a0c';
const dir = mkdtempSync(join(tmpdir(), 'conduit-kubectl-'));
const kubeconfig = join(dir, 'config');
let api: LoopbackServer;
const seen: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: '2026-01-01T00:00:00Z', labels: { app: 'gw' } },
  status: { phase: 'Running', podIP: '127.44.17.9', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'gw', restartCount: 0, ready: true }] },
});

beforeAll(async () => {
  api = await startLoopbackServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = req.url ?? '';
    if (url.includes('/proxy/health')) return send(200, { status: 'ok', instance: 'gw-0' });
    if (url.includes('/proxy/v1/metrics')) return send(200, { ws: { connections: { active: 3 } } });
    const match = /^\/api\/v1\/namespaces\/default\/pods\/([a-z0-9-]+)$/.exec(url);
    if (match) return send(200, pod(match[1]!));
    send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 });
  }, '127.44.16.1');
  // The kubeconfig names a server where nothing listens and another token: --server and --token win.
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster: { server: "http://127.44.16.99:9", insecure-skip-tls-verify: true }
users:
- name: me
  user: { token: "stale-token" }
- name: other
  user: { token: "other-token" }
contexts:
- name: prod
  context: { cluster: prod, user: me, namespace: default }
current-context: prod
`,
  );
});
beforeEach(() => {
  seen.length = 0;
});
afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

const base = () => ['--kubeconfig', kubeconfig, '--server', api.url];

describe('item 8: kubectl habits — --server, --token, --as, --as-group', () => {
  it('every API call and every pods/proxy call goes to --server with --token and the impersonation headers', async () => {
    const result = await runCli(['status', 'gw-0', ...base(), '--token', TOKEN, '--as', 'alice', '--as-group', 'oncall', '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).instances[0]).toMatchObject({ name: 'gw-0', health: 'ok', connections: 3 });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const request of seen) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.headers['impersonate-user']).toBe('alice');
      expect(request.headers['impersonate-group']).toBe('oncall');
    }
  });

  it('--user picks another user of the kubeconfig; --cluster must exist', async () => {
    const ok = await runCli(['status', 'gw-0', ...base(), '--user', 'other']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(seen[0]!.headers.authorization).toBe('Bearer other-token');
    const missing = await runCli(['status', 'gw-0', '--kubeconfig', kubeconfig, '--cluster', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cluster "nope" does not exist');
  });

  it('--as-group without --as is a usage error', async () => {
    const result = await runCli(['status', 'gw-0', ...base(), '--as-group', 'oncall']);
    expect(result.code).toBe(2);
  });
});

describe('item 8: kubectl habits — -v=N with kubectl\'s meaning', () => {
  it('-v=6 prints each API call; the token never appears, not even at -v=8', async () => {
    const six = await runCli(['status', 'gw-0', ...base(), '--token', TOKEN, '-v=6']);
    expect(six.code, six.stderr).toBe(0);
    expect(six.stderr).toMatch(new RegExp(`GET ${api.url}/api/v1/namespaces/default/pods/gw-0 200 in \\d+ milliseconds`));
    const eight = await runCli(['status', 'gw-0', ...base(), '--token', TOKEN, '--v=8']);
    expect(eight.code).toBe(0);
    for (const output of [six, eight]) expect(output.stdout + output.stderr).not.toContain(TOKEN);
  });

  it('-v=abc is a usage error', async () => {
    expect((await runCli(['status', 'gw-0', ...base(), '-v=abc'])).code).toBe(2);
  });
});

describe('item 8: kubectl habits — resource forms pod/NAME, po/NAME, pods NAME', () => {
  for (const form of [['pod/gw-0'], ['po/gw-0'], ['pods', 'gw-0'], ['pod', 'gw-0']]) {
    it(`status ${form.join(' ')}`, async () => {
      const result = await runCli(['status', ...form, ...base(), '-o', 'json']);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).instances.map((i: { name: string }) => i.name)).toEqual(['gw-0']);
    });
  }
});

describe('item 8: kubectl habits — --dry-run[=none|client|server] with the plan on stdout', () => {
  for (const flag of ['--dry-run', '--dry-run=client', '--dry-run=server']) {
    it(`drain ${flag}: the plan on stdout, no POST`, async () => {
      const result = await runCli(['drain', 'gw-0', ...base(), flag, '-o', 'json']);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ kind: 'DrainPlan', dryRun: true, instances: [{ name: 'gw-0', health: 'ok', connections: 3, action: 'drain, then wait for a stable zero' }] });
      expect(seen.filter((r) => r.method !== 'GET')).toEqual([]);
    });
  }

  it('undrain --dry-run: the plan, nothing sent', async () => {
    const result = await runCli(['undrain', 'gw-0', ...base(), '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('nothing (already serving)');
    expect(seen.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('--dry-run=bogus is a usage error; --dry-run=none runs for real', async () => {
    expect((await runCli(['drain', 'gw-0', ...base(), '--dry-run=bogus'])).code).toBe(2);
    const none = await runCli(['undrain', 'gw-0', ...base(), '--dry-run=none', '-o', 'json']);
    expect(none.code, none.stderr).toBe(0);
    expect(JSON.parse(none.stdout)).toMatchObject({ kind: 'UndrainReport', outcome: 'undrained' });
  });
});
