import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/gateway/redact.js';

describe('Redactor', () => {
  const redactor = new Redactor(['admin-token-123', 'Bearer api-server-token-456', undefined, '']);

  it('replaces the admin token and both forms of an Authorization value', () => {
    const text = 'got admin-token-123 and Bearer api-server-token-456 and api-server-token-456 alone';
    const clean = redactor.redact(text);
    expect(clean).not.toContain('admin-token-123');
    expect(clean).not.toContain('api-server-token-456');
  });

  it('redacts before cutting, so no prefix of a secret survives the cut', () => {
    const text = `${'x'.repeat(75)}admin-token-123`;
    expect(redactor.snippet(text)).toBe(`${'x'.repeat(75)}***`);
  });

  it('bounds snippets to 80 characters and strips control and bidi characters', () => {
    const snippet = redactor.snippet(`a\u0000b\u001b[2Jc\u202ed\n${'y'.repeat(200)}`);
    expect(Array.from(snippet)).toHaveLength(80);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).not.toMatch(/[\u0000-\u001f\u007f\u202e]/);
  });
});
