import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayAdmin } from '../../src/gateway/index.js';
import { GatewayError } from '../../src/ops/errors.js';
import type { GatewayAdmin, Instance } from '../../src/ops/ports/index.js';
import { FakeAdminServer, reply } from './fake-admin-server.js';

const HOST = '127.0.4.70';

describe('https admin endpoints', () => {
  let dir: string;
  let cert: string;
  let server: FakeAdminServer;
  let admin: GatewayAdmin | undefined;
  let instance: Instance;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conduit-gateway-tls-'));
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2',
      '-subj', `/CN=${HOST}`, '-addext', `subjectAltName=IP:${HOST}`,
    ]);
    cert = await readFile(join(dir, 'cert.pem'), 'utf8');
    const key = await readFile(join(dir, 'key.pem'), 'utf8');
    server = await FakeAdminServer.start(HOST, reply(202, '{"status":"draining","active":1}'), { cert, key });
    instance = { name: 'vm-tls', adminUrl: server.url };
  });
  afterEach(async () => {
    await admin?.close();
    admin = undefined;
  });
  afterAll(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('fails closed on an untrusted certificate: drain throws a tls failure', async () => {
    admin = createGatewayAdmin({});
    const error = await admin.drain(instance).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ failure: 'tls', kind: 'refused', endpoint: `${server.url}/admin/drain` });
  });

  it('reads an untrusted endpoint as unknown, never as a count', async () => {
    admin = createGatewayAdmin({});
    expect(await admin.connections(instance)).toMatchObject({ known: false, failure: 'tls' });
    expect(await admin.health(instance)).toMatchObject({ status: 'unknown', failure: 'tls' });
  });

  it('trusts the certificate given as a CA', async () => {
    admin = createGatewayAdmin({ transport: { kind: 'direct', tls: { ca: cert } } });
    expect(await admin.drain(instance)).toMatchObject({ accepted: true, active: { known: true, value: 1 } });
  });

  it('presents the client certificate (a kubeconfig with client-certificate auth) on every pooled connection', async () => {
    const run = promisify(execFile);
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'client-key.pem'), '-out', join(dir, 'client.pem'), '-days', '2', '-subj', '/CN=operator',
    ]);
    const [clientCert, clientKey] = await Promise.all([readFile(join(dir, 'client.pem'), 'utf8'), readFile(join(dir, 'client-key.pem'), 'utf8')]);
    const key = await readFile(join(dir, 'key.pem'), 'utf8');
    const mutual = await FakeAdminServer.start(HOST, reply(200, '{"ws":{"connections":{"active":4}}}'), { cert, key, ca: clientCert, requestCert: true, rejectUnauthorized: true });
    try {
      const target: Instance = { name: 'vm-mtls', adminUrl: mutual.url };
      admin = createGatewayAdmin({ transport: { kind: 'direct', tls: { ca: cert, cert: clientCert, key: clientKey } }, connectionsPerOrigin: 4 });
      const counts = await Promise.all(Array.from({ length: 8 }, () => admin!.connections(target)));
      expect(counts).toEqual(Array.from({ length: 8 }, () => ({ known: true, value: 4 })));
      await admin.close();
      admin = createGatewayAdmin({ transport: { kind: 'direct', tls: { ca: cert } } });
      expect(await admin.connections(target)).toMatchObject({ known: false });
    } finally {
      await mutual.stop();
    }
  });

  it('skips verification only when asked', async () => {
    admin = createGatewayAdmin({ insecureSkipTlsVerify: true });
    expect(await admin.drain(instance)).toMatchObject({ accepted: true });
  });
});
