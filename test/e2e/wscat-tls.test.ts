// wscat over wss:// against a TLS WebSocket echo server with a self-signed certificate
// (127.41.1.10): untrusted fails closed, --ca-file trusts it, --insecure-skip-tls-verify warns.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { runCli } from '../support/run-cli.js';

const HOST = '127.41.1.10';

describe('wscat over wss://', () => {
  let dir: string;
  let server: Server;
  let wss: WebSocketServer;
  let url: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conduit-wscat-tls-'));
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2',
      '-subj', `/CN=${HOST}`, '-addext', `subjectAltName=IP:${HOST}`,
    ]);
    server = createServer({ cert: await readFile(join(dir, 'cert.pem')), key: await readFile(join(dir, 'key.pem')) });
    wss = new WebSocketServer({ server });
    wss.on('connection', (socket) => socket.on('message', (data, binary) => socket.send(data, { binary })));
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    url = `wss://${HOST}:${(server.address() as { port: number }).port}/`;
  });

  afterAll(async () => {
    for (const client of wss?.clients ?? []) client.terminate();
    wss?.close();
    await new Promise((resolve) => server?.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('fails closed on an untrusted certificate: exit 1, the TLS reason shown', async () => {
    const result = await runCli(['wscat', url, '-x', 'hi', '-w', '100ms']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot connect to wss:\/\/127\.41\.1\.10:\d+\/: TLS handshake failed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
  });

  it('trusts the certificate given with --ca-file', async () => {
    const result = await runCli(['wscat', url, '--ca-file', join(dir, 'cert.pem'), '-x', 'over tls', '-w', '300ms']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('over tls');
    expect(result.stderr).not.toContain('warning');
  });

  it('--insecure-skip-tls-verify connects and says so', async () => {
    const result = await runCli(['wscat', url, '--insecure-skip-tls-verify', '-x', 'unverified', '-w', '300ms']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('unverified');
    expect(result.stderr).toContain('warning: --insecure-skip-tls-verify');
  });
});
