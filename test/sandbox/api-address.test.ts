// `conduitctl sandbox up --api-address IP` (built CLI): the API and control listeners bind that
// address, the kubeconfig names it, the serving certificate carries it as a SAN (kubectl verifies
// it), and a value that is not an IP is a usage error that starts nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { kubectl } from './support/kubectl.js';

const ADDRESS = '127.42.0.3';
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('sandbox up --api-address', () => {
  it('binds the API there, writes it into the kubeconfig and the certificate, and kubectl verifies it', async () => {
    const stateDir = join(mkdtempSync(join(tmpdir(), 'sandbox-address-')), 'state');
    const env = { CONDUIT_SANDBOX_DIR: undefined, HOME: tmpdir() };
    const args = ['--state-dir', stateDir];
    cleanups.push(async () => {
      await runCli(['sandbox', 'down', ...args], { env, timeoutMs: 30_000 });
      rmSync(join(stateDir, '..'), { recursive: true, force: true });
    });
    const up = await runCli(['sandbox', 'up', ...args, '--api-address', ADDRESS, '--replicas', '1', '--pod-cidr', '127.42.30.0/24', '--service-cidr', '127.42.31.0/24'], {
      env,
      timeoutMs: 40_000,
    });
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    const state = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as { apiUrl: string; controlUrl: string };
    expect(state.apiUrl).toMatch(new RegExp(`^https://${ADDRESS.replaceAll('.', '\\.')}:\\d+$`));
    expect(state.controlUrl).toMatch(new RegExp(`^http://${ADDRESS.replaceAll('.', '\\.')}:\\d+$`));
    expect(readFileSync(join(stateDir, 'kubeconfig'), 'utf8')).toContain(`server: ${state.apiUrl}`);
    const cert = execFileSync('openssl', ['x509', '-noout', '-ext', 'subjectAltName', '-in', join(stateDir, 'kube-sim', 'pki', 'server.crt')], { encoding: 'utf8' });
    expect(cert).toContain(`IP Address:${ADDRESS}`);

    const k = kubectl(join(stateDir, 'kubeconfig'));
    cleanups.push(() => k.dispose());
    const pods = await k.run('get', 'pods', '-n', 'conduit');
    expect(pods.stderr).toBe('');
    expect(pods.stdout).toMatch(/^conduit-0\s+1\/1\s+Running/m);
  }, 90_000);

  it('refuses an address that is not an IP with exit 2 and starts nothing', async () => {
    const stateDir = join(mkdtempSync(join(tmpdir(), 'sandbox-address-')), 'state');
    cleanups.push(() => rmSync(join(stateDir, '..'), { recursive: true, force: true }));
    const result = await runCli(['sandbox', 'up', '--state-dir', stateDir, '--api-address', 'localhost:6443'], { env: { HOME: tmpdir() }, timeoutMs: 20_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--api-address: "localhost:6443" is not an IP address');
    expect(existsSync(stateDir)).toBe(false);
  });
});
