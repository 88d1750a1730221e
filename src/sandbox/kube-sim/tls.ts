// The cluster CA and the API server's serving certificate. node:crypto cannot sign X.509
// certificates, so this shells out to openssl in a private directory (the state dir, or a temp dir).

import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ServingCredentials {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function createCa(dir: string): Promise<void> {
  await run('openssl', [
    'req', '-x509', ...EC_KEY, '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'), '-days', '3650',
    '-subj', '/CN=kube-sim-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

async function createServingCert(dir: string, hosts: string[]): Promise<void> {
  const sans = hosts.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  await writeFile(
    join(dir, 'server.ext'),
    `subjectAltName=${sans}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
  );
  await run('openssl', ['req', ...EC_KEY, '-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.csr'), '-subj', '/CN=kube-apiserver']);
  await run('openssl', [
    'x509', '-req', '-in', join(dir, 'server.csr'), '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'),
    '-CAcreateserial', '-out', join(dir, 'server.crt'), '-days', '825', '-extfile', join(dir, 'server.ext'),
  ]);
  await writeFile(join(dir, 'server.hosts'), hosts.join('\n'));
}

/**
 * Returns a CA and a serving certificate for `hosts` (IPs and DNS names). With a stateDir the CA
 * (and a certificate for the same hosts) is reused across starts, so kubeconfigs stay valid.
 */
export async function servingCredentials(hosts: string[], stateDir?: string): Promise<ServingCredentials> {
  const dir = stateDir ? join(stateDir, 'pki') : await mkdtemp(join(tmpdir(), 'kube-sim-pki-'));
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const wanted = [...new Set(hosts)];
    if (!(await readIfPresent(join(dir, 'ca.key')))) await createCa(dir);
    const issuedFor = await readIfPresent(join(dir, 'server.hosts'));
    if (issuedFor !== wanted.join('\n') || !(await readIfPresent(join(dir, 'server.key')))) await createServingCert(dir, wanted);
    const [caPem, certPem, keyPem] = await Promise.all(['ca.crt', 'server.crt', 'server.key'].map((f) => readFile(join(dir, f), 'utf8')));
    return { caPem: caPem!, certPem: certPem!, keyPem: keyPem! };
  } finally {
    if (!stateDir) await rm(dir, { recursive: true, force: true });
  }
}
