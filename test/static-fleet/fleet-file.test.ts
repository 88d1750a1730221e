import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetFromUrls, loadFleetFile } from '../../src/static-fleet/index.js';
import { UsageError } from '../../src/ops/errors.js';

describe('loadFleetFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conduit-fleet-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  let files = 0;
  async function fleetFile(yaml: string): Promise<string> {
    const path = join(dir, `fleet-${files++}.yaml`);
    await writeFile(path, yaml);
    return path;
  }

  it('reads the instances: form', async () => {
    const path = await fleetFile(`
instances:
  - name: conduit-b
    admin: http://127.0.10.2:9087
  - name: conduit-a
    admin: http://127.0.10.1:9087/      # trailing slash is dropped
    ws: ws://127.0.10.1:9088/v1/subscribe
`);
    const fleet = await loadFleetFile(path);
    expect(fleet.describe()).toEqual({ kind: 'static', source: path });
    expect(await fleet.resolve({ kind: 'all' })).toEqual([
      { name: 'conduit-a', address: '127.0.10.1', adminUrl: 'http://127.0.10.1:9087', wsUrl: 'ws://127.0.10.1:9088/v1/subscribe' },
      { name: 'conduit-b', address: '127.0.10.2', adminUrl: 'http://127.0.10.2:9087' },
    ]);
  });

  it('reads a bare list, with plain URL and name=URL entries', async () => {
    const path = await fleetFile(`
- name: vm-1
  admin: https://gw1.example.internal:9443/conduit
  health: https://gw1.example.internal/health
- http://[::1]:9087
- vm-3=http://127.0.10.3:9087
`);
    const fleet = await loadFleetFile(path);
    const all = await fleet.resolve({ kind: 'all' });
    expect(all.map((instance) => instance.name)).toEqual(['[::1]:9087', 'vm-1', 'vm-3']);
    expect(await fleet.get('vm-1')).toEqual({
      name: 'vm-1',
      address: 'gw1.example.internal',
      adminUrl: 'https://gw1.example.internal:9443/conduit',
      healthUrl: 'https://gw1.example.internal/health',
    });
    expect((await fleet.get('[::1]:9087'))?.address).toBe('::1');
  });

  const bad: Array<[string, string, RegExp]> = [
    ['a missing name', 'instances:\n  - admin: http://127.0.10.1:9087\n', /instances\[0\]: missing name/],
    ['a missing admin URL', 'instances:\n  - name: conduit-a\n', /instances\[0\] \(conduit-a\): missing admin URL/],
    [
      'a duplicate name',
      'instances:\n  - {name: a, admin: "http://127.0.10.1:9087"}\n  - {name: a, admin: "http://127.0.10.2:9087"}\n',
      /duplicate name a/,
    ],
    [
      'one admin URL under two names',
      'instances:\n  - {name: a, admin: "http://127.0.10.1:9087"}\n  - {name: b, admin: "http://127.0.10.1:9087/"}\n',
      /same admin URL/,
    ],
    ['an uppercase name', 'instances:\n  - {name: Conduit, admin: "http://127.0.10.1:9087"}\n', /instances\[0\]: invalid name "Conduit"/],
    ['a name with a slash', 'instances:\n  - {name: "a/b", admin: "http://127.0.10.1:9087"}\n', /invalid name "a\/b"/],
    ['a name with ..', 'instances:\n  - {name: "..", admin: "http://127.0.10.1:9087"}\n', /invalid name "\.\."/],
    ['a name with a space', 'instances:\n  - {name: "a b", admin: "http://127.0.10.1:9087"}\n', /invalid name "a b"/],
    ['an invalid URL', 'instances:\n  - {name: a, admin: "not a url"}\n', /instances\[0\] \(a\): admin "not a url" is not a valid URL/],
    ['an ftp URL', 'instances:\n  - {name: a, admin: "ftp://127.0.10.1/"}\n', /admin URL scheme ftp is not supported/],
    ['an http ws URL', 'instances:\n  - {name: a, admin: "http://127.0.10.1:9087", ws: "http://127.0.10.1:9088"}\n', /ws URL scheme http/],
    ['credentials in the URL', 'instances:\n  - {name: a, admin: "http://user:pw@127.0.10.1:9087"}\n', /must not carry credentials/],
    ['a query string', 'instances:\n  - {name: a, admin: "http://127.0.10.1:9087/?token=x"}\n', /query or fragment/],
    ['an unknown field', 'instances:\n  - {name: a, admn: "http://127.0.10.1:9087"}\n', /unknown field admn/],
    ['an unknown top-level field', 'instance:\n  - {name: a, admin: "http://127.0.10.1:9087"}\n', /unknown top-level field instance/],
    ['an empty list', 'instances: []\n', /lists no instances/],
    ['a scalar document', 'hello\n', /has no instance list/],
    ['a number entry', 'instances:\n  - 42\n', /instances\[0\]: expected an entry/],
    ['invalid YAML', 'instances: [\n', /is not valid YAML/],
  ];
  for (const [what, yaml, message] of bad) {
    it(`refuses ${what}, naming the file and the entry`, async () => {
      const path = await fleetFile(yaml);
      const error = await loadFleetFile(path).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toMatch(message);
    });
  }

  it('refuses a missing file', async () => {
    await expect(loadFleetFile(join(dir, 'nope.yaml'))).rejects.toThrow(/cannot read fleet file .*ENOENT/);
  });
});

describe('fleetFromUrls', () => {
  it('names instances after host:port, or the name given with name=URL', async () => {
    const fleet = fleetFromUrls(['http://127.0.10.2:9087', 'gw-a=http://127.0.10.1:9087', 'https://gw.example']);
    expect((await fleet.resolve({ kind: 'all' })).map((instance) => [instance.name, instance.adminUrl])).toEqual([
      ['127.0.10.2:9087', 'http://127.0.10.2:9087'],
      ['gw-a', 'http://127.0.10.1:9087'],
      ['gw.example:443', 'https://gw.example'],
    ]);
    expect(fleet.describe().kind).toBe('static');
  });

  it('refuses bad items, naming them', () => {
    expect(() => fleetFromUrls([])).toThrow(UsageError);
    expect(() => fleetFromUrls(['127.0.10.1:9087'])).toThrow(/--instances item 1 \(127\.0\.10\.1:9087\)/);
    expect(() => fleetFromUrls(['Bad=http://127.0.10.1:9087'])).toThrow(/invalid name "Bad"/);
    expect(() => fleetFromUrls(['http://127.0.10.1:9087', 'http://127.0.10.1:9087'])).toThrow(/duplicate name/);
  });
});
