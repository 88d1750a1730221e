// Real load balancers for end-to-end tests: HAProxy and nginx from the Debian packages
// (.ci/run installs them). Without them, tests that need them are skipped loudly — unless CI is
// set, where a missing binary is a failure, not a skip.
import { accessSync, constants } from 'node:fs';

function which(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/local/sbin', '/sbin'])) {
    try {
      accessSync(`${dir}/${binary}`, constants.X_OK);
      return `${dir}/${binary}`;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export const HAPROXY = which('haproxy');
export const NGINX = which('nginx');

/**
 * Whether tests needing `binary` can run. Prints a loud banner when it is missing; with CI set it
 * throws instead, so a CI machine without the package fails rather than passing on skipped tests.
 */
export function requireBinary(name: 'haproxy' | 'nginx', path: string | undefined, aptPackage: string): boolean {
  if (path) return true;
  const message = `${name} is not installed: the ${name} end-to-end tests of verify-sticky cannot run (apt-get install -y ${aptPackage})`;
  if (process.env.CI) throw new Error(`CI is set and ${message}`);
  console.warn(`\n${'!'.repeat(100)}\n!!! SKIPPING: ${message}\n${'!'.repeat(100)}\n`);
  return false;
}
