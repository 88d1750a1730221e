// The gateway admin token from a file (--admin-token-file), e.g. a mounted Kubernetes Secret.

import { readFile } from 'node:fs/promises';
import { UsageError } from '../ops/errors.js';

const MAX_TOKEN_BYTES = 4096;

/** The trimmed token. Errors name the file, never its content. */
export async function readAdminTokenFile(path: string): Promise<string> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw new UsageError(`cannot read admin token file ${path} (${code})`);
  }
  const token = content.trim();
  if (token === '') throw new UsageError(`admin token file ${path} is empty`);
  if (Buffer.byteLength(token) > MAX_TOKEN_BYTES) {
    throw new UsageError(`admin token file ${path} holds more than ${MAX_TOKEN_BYTES} bytes; expected one token`);
  }
  // An HTTP header value cannot carry these, and a second line means the file is not one token.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new UsageError(
      `admin token file ${path} must hold one token of printable ASCII characters without spaces or line breaks`,
    );
  }
  return token;
}
