// One instance of a static fleet, from a fleet-file entry or an `--instances` item, validated
// strictly: a typo here would point an operator's drain at the wrong machine.

import type { Instance } from '../ops/ports/index.js';
import { UsageError } from '../ops/errors.js';
import { dns1123SubdomainProblem } from '../util/names.js';
import { withoutPassword } from '../util/printable.js';

/** A fleet-file entry (`{name, admin, ws?, health?}`) after YAML parsing. */
interface FleetEntryFields {
  name?: unknown;
  admin?: unknown;
  ws?: unknown;
  health?: unknown;
}

const ENTRY_KEYS = new Set(['name', 'admin', 'ws', 'health']);

/** `where` names the entry in messages, e.g. `fleet.yaml: instances[2]`. */
/** `--admin-port`: the admin port of URLs written without one (a URL with another port is refused). */
export interface EntryOptions {
  adminPort?: number;
}

export function instanceFromFields(fields: Record<string, unknown>, where: string, options: EntryOptions = {}): Instance {
  const unknownKeys = Object.keys(fields).filter((key) => !ENTRY_KEYS.has(key));
  if (unknownKeys.length > 0) {
    throw new UsageError(`${where}: unknown field ${unknownKeys.join(', ')}`, 'an entry has name, admin, and optionally ws and health');
  }
  const { name, admin, ws, health } = fields as FleetEntryFields;
  if (typeof name !== 'string') throw new UsageError(`${where}: missing name`);
  checkName(name, where);
  const at = `${where} (${name})`;
  if (typeof admin !== 'string') throw new UsageError(`${at}: missing admin URL`, 'e.g. admin: http://10.0.0.5:9087');
  return {
    ...fromAdminUrl(admin, at, options),
    name,
    ...(ws !== undefined ? { wsUrl: checkedUrl(ws, at, 'ws', ['ws:', 'wss:']) } : {}),
    ...(health !== undefined ? { healthUrl: checkedUrl(health, at, 'health', ['http:', 'https:']) } : {}),
  };
}

/** `URL` (named host:port) or `name=URL`. */
export function instanceFromUrlItem(item: string, where: string, options: EntryOptions = {}): Instance {
  const named = /^([^=:/]+)=(.*)$/.exec(item);
  if (named) {
    const name = named[1]!;
    checkName(name, where);
    return { ...fromAdminUrl(named[2]!, `${where} (${name})`, options), name };
  }
  const instance = fromAdminUrl(item, where, options);
  return { ...instance, name: derivedName(instance.adminUrl!) };
}

function fromAdminUrl(raw: string, where: string, { adminPort }: EntryOptions): Instance & { adminUrl: string } {
  const url = new URL(checkedUrl(raw, where, 'admin', ['http:', 'https:']));
  if (adminPort !== undefined) {
    if (url.port === '') url.port = String(adminPort);
    else if (url.port !== String(adminPort)) {
      throw new UsageError(
        `${where}: --admin-port ${adminPort} conflicts with port ${url.port} in the admin URL`,
        'drop --admin-port, or write the admin URLs without a port',
      );
    }
  }
  const adminUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return { name: '', address: url.hostname.replace(/^\[(.*)\]$/, '$1'), adminUrl };
}

/** The URL normalised (no trailing slash), or a UsageError naming the entry and the field. */
function checkedUrl(raw: unknown, where: string, field: string, schemes: string[]): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new UsageError(`${where}: ${field} must be a URL`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UsageError(`${where}: ${field} ${JSON.stringify(withoutPassword(raw))} is not a valid URL`);
  }
  if (!schemes.includes(url.protocol)) {
    throw new UsageError(
      `${where}: ${field} URL scheme ${url.protocol.replace(/:$/, '')} is not supported`,
      `use ${schemes.map((scheme) => scheme.replace(/:$/, '')).join(' or ')}`,
    );
  }
  if (url.username || url.password) {
    // The message names the entry, never the URL: it would echo the password.
    throw new UsageError(`${where}: ${field} URL must not carry credentials (user:password@)`, 'pass the admin token with CONDUIT_ADMIN_TOKEN or --admin-token-file');
  }
  if (url.search || url.hash) throw new UsageError(`${where}: ${field} URL must not have a query or fragment`);
  if (!url.hostname) throw new UsageError(`${where}: ${field} URL has no host`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function checkName(name: string, where: string): void {
  const problem = dns1123SubdomainProblem(name);
  if (problem) throw new UsageError(`${where}: invalid name ${JSON.stringify(name)}: ${problem}`);
}

/** `http://127.0.10.1:9087` → `127.0.10.1:9087` (the scheme's default port when none is written). */
function derivedName(adminUrl: string): string {
  const url = new URL(adminUrl);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}
