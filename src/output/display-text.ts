// Text from the kernel (process names, file names, arguments) is chosen by whoever runs the traced
// process: a process may name itself "\x1b]0;…" to drive the terminal that shows bpfql's output.
// Where text is shown to a person (table output, the REPL), control characters are written as
// escapes: \n \r \t by name, others as \xHH (ESC is \x1b), and bidirectional overrides and line
// separators, which reorder or break what is seen, as \u{HHHH}. Backslash becomes \\, so every
// escape reads back to one string. Printable Unicode is kept. Machine formats (JSON, CSV,
// Parquet) keep the exact text.

/** C0 controls, DEL, C1 controls, and the invisible characters that reorder or break lines. */
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const UNSAFE_OR_BACKSLASH = /[\\\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const NAMED: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** One line of text safe for a terminal, that reads back unambiguously (backslash escaped too). */
export function displayText(s: string): string {
  return s.replace(UNSAFE_OR_BACKSLASH, escapeOne);
}

/**
 * Text in its own syntax (JSON, CSV, a message), made safe for a terminal: line breaks are kept,
 * every other control character escaped; backslashes are left as the syntax has them.
 */
export function screenText(s: string): string {
  return s.replace(UNSAFE, (c) => (c === '\n' ? c : escapeOne(c)));
}
