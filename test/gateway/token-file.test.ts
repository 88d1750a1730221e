import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAdminTokenFile } from '../../src/gateway/index.js';
import { UsageError } from '../../src/ops/errors.js';

describe('readAdminTokenFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conduit-token-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  async function file(name: string, content: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  it('returns the token without surrounding whitespace (a mounted Secret ends with a newline)', async () => {
    expect(await readAdminTokenFile(await file('ok', '  s3cr3t-Token_value\n'))).toBe('s3cr3t-Token_value');
  });

  const bad: Array<[string, string]> = [
    ['empty', ''],
    ['blank', ' \n\t\n'],
    ['two lines', 'first-q7zvx\nsecond-w3kjh\n'],
    ['inner space', 'half q7zvx'],
    ['control character', 'tok\u0007en'],
  ];
  for (const [what, content] of bad) {
    it(`refuses a ${what} file, naming the file but not the content`, async () => {
      const path = await file(what.replace(/ /g, '-'), content);
      const error = await readAdminTokenFile(path).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toContain(path);
      for (const word of content.split(/\s+/).filter((w) => w.length > 3)) expect((error as Error).message).not.toContain(word);
    });
  }

  it('refuses a missing file', async () => {
    await expect(readAdminTokenFile(join(dir, 'missing'))).rejects.toThrow(/cannot read admin token file .*ENOENT/);
  });
});
