// A static fleet from a YAML file (--fleet FILE) or from --instances URL,URL…

import { readFile } from 'node:fs/promises';
import { parseYaml } from '../util/yaml.js';
import type { Instance } from '../ops/ports/index.js';
import { UsageError } from '../ops/errors.js';
import { instanceFromFields, instanceFromUrlItem, type EntryOptions } from './entries.js';
import { printable, withoutPassword } from '../util/printable.js';
import { StaticFleet } from './static-fleet.js';

const FILE_FORM = 'expected `instances:` with a list of {name, admin, ws?} entries, or a bare list';

/**
 * ```yaml
 * instances:
 *   - name: conduit-a
 *     admin: http://127.0.10.1:9087
 *     ws: ws://127.0.10.1:9088/v1/subscribe
 * ```
 * A bare top-level list is accepted too, and an entry may be a plain admin URL or `name=URL`.
 */
export async function loadFleetFile(path: string, options: EntryOptions = {}): Promise<StaticFleet> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read fleet file ${path} (${(error as { code?: string }).code ?? 'unreadable'})`);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new UsageError(`fleet file ${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const list = entryList(document, path);
  const instances = list.map((entry, index) => {
    const where = `${path}: instances[${index}]`;
    if (typeof entry === 'string') return instanceFromUrlItem(entry, where, options);
    if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
      return instanceFromFields(entry as Record<string, unknown>, where, options);
    }
    throw new UsageError(`${where}: expected an entry with name and admin, or an admin URL`);
  });
  return new StaticFleet(checkUnique(instances, path), path);
}

/** `--instances http://127.0.10.1:9087,conduit-b=http://127.0.10.2:9087` (already split on commas). */
export function fleetFromUrls(list: string[], options: EntryOptions = {}): StaticFleet {
  if (list.length === 0) throw new UsageError('--instances lists no instance URLs');
  const instances = list.map((item, index) => instanceFromUrlItem(item.trim(), `--instances item ${index + 1} (${printable(withoutPassword(item))})`, options));
  const names = instances.map((instance) => instance.name);
  return new StaticFleet(checkUnique(instances, '--instances'), `--instances ${names.join(',')}`);
}

function entryList(document: unknown, path: string): unknown[] {
  const list =
    Array.isArray(document) ? document
    : typeof document === 'object' && document !== null && 'instances' in document ? (document as { instances: unknown }).instances
    : undefined;
  if (typeof document === 'object' && document !== null && !Array.isArray(document)) {
    const extra = Object.keys(document).filter((key) => key !== 'instances');
    if (extra.length > 0) throw new UsageError(`fleet file ${path}: unknown top-level field ${extra.join(', ')}`, FILE_FORM);
  }
  if (!Array.isArray(list)) throw new UsageError(`fleet file ${path} has no instance list`, FILE_FORM);
  if (list.length === 0) throw new UsageError(`fleet file ${path} lists no instances`, FILE_FORM);
  return list;
}

/** Two entries with one name, or one admin URL under two names, would make counts and drains ambiguous. */
function checkUnique(instances: Instance[], source: string): Instance[] {
  const names = new Map<string, number>();
  const admins = new Map<string, string>();
  instances.forEach((instance, index) => {
    const earlier = names.get(instance.name);
    if (earlier !== undefined) {
      throw new UsageError(`${source}: duplicate name ${instance.name} (entries ${earlier} and ${index})`);
    }
    names.set(instance.name, index);
    const sameAdmin = admins.get(instance.adminUrl!);
    if (sameAdmin !== undefined) {
      throw new UsageError(`${source}: ${instance.name} and ${sameAdmin} have the same admin URL ${instance.adminUrl}`);
    }
    admins.set(instance.adminUrl!, instance.name);
  });
  return instances;
}
