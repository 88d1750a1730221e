// Text that came from a gateway (or from an error about it) before it may be shown to an operator:
// secrets replaced, control characters removed, length bounded (RELIABILITY rules 1 and 10).

export const SNIPPET_MAX_CHARS = 80;
const REDACTED = '***';

// C0/C1 controls, DEL, and bidi overrides that could make a terminal line lie about its content.
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** Knows the secrets of one client and removes them from any text. */
export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string | undefined>) {
    const all = new Set<string>();
    for (const secret of secrets) {
      if (!secret) continue;
      all.add(secret);
      // An Authorization value "Bearer abc" must also hide "abc" alone.
      const credentials = secret.replace(/^\s*(bearer|basic|token)\s+/i, '');
      if (credentials && credentials !== secret) all.add(credentials);
    }
    // Longest first so a secret containing another is replaced whole.
    this.secrets = [...all].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join(REDACTED);
    return result;
  }

  /** A one-line, bounded, secret-free excerpt of a body or message. */
  snippet(text: string, maxChars = SNIPPET_MAX_CHARS): string {
    // Redact before cutting, so a secret split by the cut cannot leak its prefix.
    const clean = this.redact(text).replace(UNSAFE_CHARS, ' ').replace(/ {2,}/g, ' ').trim();
    const chars = Array.from(clean);
    if (chars.length <= maxChars) return clean;
    return `${chars.slice(0, maxChars - 1).join('')}…`;
  }
}
