// User input echoed in a message must not be able to drive the operator's terminal: control
// characters (ESC sequences, carriage returns, backspaces, newlines that forge extra lines) are
// shown escaped, as JSON would write them (RELIABILITY: "control characters in user input").

// C0 controls, DEL and C1 controls; the line and paragraph separators too.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** `text` with every control character written as an escape (`\n`, `\u001b`). */
export function printable(text: string): string {
  return text.replace(CONTROL, (char) => JSON.stringify(char).slice(1, -1));
}

/**
 * A whole message for the terminal: like `printable`, but the newlines the message itself uses
 * to separate its lines are kept. Input that reaches a message unescaped still cannot colour,
 * move the cursor or overwrite what was printed.
 */
export function printableLines(message: string): string {
  return message.split('\n').map(printable).join('\n');
}

/** A URL (or anything that may hold one) with the password of any `user:password@` replaced. */
export function withoutPassword(text: string): string {
  return text.replace(/(\/\/[^/@\s:]*):[^/@\s]*@/g, '$1:***@');
}
