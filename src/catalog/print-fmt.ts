// Which fields of a tracepoint the kernel prints as IP addresses: its `print fmt:` line pairs
// each conversion of the format string with an argument, and `%pI4` / `%pI6` (`%pI6c`, …) of
// `REC->field` say the field is an IPv4 or IPv6 address. The format file has nothing else that
// tells a 16-byte address from 16 other bytes.

export type AddressKind = 'ipv4' | 'ipv6';

/** Conversions: flags, width, precision, length, and the letter (with %p's extension letters). */
const CONVERSION = /%(%|[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?(?:hh|h|ll|l|z|j|t|L)?([diouxXcsp])([A-Za-z0-9]*))/g;

/** The quoted format string and the argument text after it; undefined when the line is not that shape. */
function splitPrintFmt(line: string): { fmt: string; args: string } | undefined {
  const m = /^print fmt: "/.exec(line);
  if (!m) return undefined;
  let i = m[0].length;
  let fmt = '';
  while (i < line.length && line[i] !== '"') {
    if (line[i] === '\\' && i + 1 < line.length) i++;
    fmt += line[i]!;
    i++;
  }
  if (i >= line.length) return undefined;
  return { fmt, args: line.slice(i + 1).replace(/^\s*,\s*/, '') };
}

/** Splits at the commas outside parentheses, brackets, braces and quotes. */
function topLevelArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== '') out.push(last);
  return out;
}

/** Fields printed as addresses, by name, from the format file's `print fmt:` line. */
export function addressFields(formatText: string): ReadonlyMap<string, AddressKind> {
  const out = new Map<string, AddressKind>();
  const line = formatText.split('\n').find((l) => l.startsWith('print fmt: '));
  const parts = line === undefined ? undefined : splitPrintFmt(line.trimEnd());
  if (!parts) return out;
  const args = topLevelArgs(parts.args);
  let next = 0;
  for (const m of parts.fmt.matchAll(CONVERSION)) {
    if (m[1] === '%') continue;
    // A `*` width or precision takes an argument of its own.
    if (m[2] === '*') next++;
    if (m[3] === '*') next++;
    const arg = args[next++];
    const field = arg === undefined ? undefined : /^REC->([A-Za-z_][A-Za-z0-9_]*)$/.exec(arg)?.[1];
    if (m[4] !== 'p' || field === undefined) continue;
    const ext = m[5] ?? '';
    if (/^[Ii]4/.test(ext)) out.set(field, 'ipv4');
    else if (/^[Ii]6/.test(ext)) out.set(field, 'ipv6');
  }
  return out;
}
