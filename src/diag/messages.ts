// The wording of every diagnostic, and its rendering with line:column and a caret.
import type { Diagnostic, DiagnosticCode, DiagnosticParams } from './diagnostic.js';
import { positionOf } from './span.js';

type Renderers = { readonly [C in DiagnosticCode]: (p: DiagnosticParams[C]) => string };

function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  return `; did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?`;
}

function oneOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

const renderers: Renderers = {
  'lex-error': (p) => `unexpected character '${p.text}'`,
  'unterminated': (p) => `unterminated ${p.what}`,
  'parse-error': (p) =>
    `${p.expected.length > 0 ? `expected ${oneOf(p.expected)} but found` : 'unexpected'} ${p.found}` +
    (p.hint === undefined ? '' : `; did you mean ${p.hint}?`),
  'unknown-table': (p) => `unknown table '${p.name}'${didYouMean(p.suggestions)}`,
  'unknown-column': (p) => `unknown column '${p.name}' in table '${p.table}'${didYouMean(p.suggestions)}`,
  'unknown-function': (p) => `unknown function '${p.name}'${didYouMean(p.suggestions)}`,
  'unknown-syscall': (p) => `this kernel has no system call '${p.name}' with entry and exit tracepoints${didYouMean(p.suggestions)}`,
  'table-unavailable': (p) => `table '${p.name}' is not available on this kernel: ${p.reason}`,
  'column-unavailable': (p) => `column '${p.name}' is not available on this kernel: ${p.reason}`,
  'unknown-member': (p) => `${p.struct} has no member '${p.member}'${didYouMean(p.suggestions)}`,
  'no-members': (p) => `'${p.path}' is ${p.type}, which has no members`,
  'unsupported-member': (p) => `'${p.path}' (${p.type}) cannot be read: ${p.reason}`,
  'arguments-with-fields': (p) =>
    `'${p.argument}' is an argument of the event, read on the tp_btf hook, and '${p.field}' a field of its formatted record, read on the classic tracepoint hook; ` +
    'a query reads one kind or the other (the record\'s fields are mostly the arguments\' members: read those through the arguments)',
  'arguments-need-raw-hook': (p) => `argument '${p.argument}' is read on the tp_btf hook: ${p.reason}`,
  'unknown-struct': (p) => `no struct '${p.name}': ${p.reason}`,
  'type-mismatch': (p) => `'${p.operator}' expects ${p.expected} but got ${p.found}`,
  'wrong-arity': (p) => `${p.name}() takes ${p.expected} argument(s) but was given ${p.found}`,
  'bad-argument': (p) => `bad argument to ${p.name}(): ${p.reason}`,
  'bad-value': (p) => `'${p.value}' is not a value of column '${p.column}' (a ${p.expected})${didYouMean(p.suggestions)}`,
  'not-grouped': (p) => `column '${p.name}' must appear in GROUP BY or be used in an aggregate`,
  'aggregate-in-where': (p) => `aggregate ${p.name}() is not allowed in WHERE; use HAVING`,
  'nested-aggregate': (p) => `aggregate ${p.name}() cannot be nested inside another aggregate`,
  'bad-duration': (p) => `bad duration '${p.text}': use a number followed by ms, s, m or h`,
  'duration-too-long': (p) => `duration '${p.text}' is too long: the longest is ${p.max}`,
  'bad-limit': (p) => `LIMIT needs a positive whole number, not '${p.text}'`,
  'unsupported': (p) => `${p.feature} is not supported`,
  'bad-severity': (p) => `SEVERITY must be one of ${p.allowed.join(', ')}, not '${p.text}'`,
  'duplicate-rule-option': (p) => `a rule takes ${p.option} once`,
  'duckdb-error': (p) => `${p.message} (DuckDB ${p.kind.toLowerCase()} error)`,
  'double-quoted-string': (p) => `double quotes name a column; use '${p.name.replaceAll("'", "''")}' for a string`,
  'never-matches': (p) =>
    `'${p.value}' is ${p.length} bytes but ${p.column} holds at most ${p.maxLength}, so this never matches` +
    `; compare a prefix with LIKE '${Buffer.from(p.value).subarray(0, p.maxLength).toString()}%'`,
  'bad-ordinal': (p) => `${p.clause} ${p.position} names no SELECT item: there ${p.items === 1 ? 'is 1 item' : `are ${p.items} items`}`,
  'probe-spelling': (p) =>
    `'${p.probe}' is bpftrace's spelling of a probe` +
    (p.instead === undefined ? '' : `; in bpfql it is ${p.instead}`) +
    (p.reason === undefined ? '' : `; ${p.reason}`),
  'bad-metric-name': (p) => p.reason === 'duplicate'
    ? `a second metric named '${p.name}'`
    : `'${p.name}' is not a metric name: use letters, digits, _ and :, not starting with a digit`,
  'metric-needs-every': (p) => `metric ${p.metric} needs EVERY (e.g. EVERY 10s): a metric is exposed window by window`,
  'metric-column': (p) => `column ${p.column} cannot be a metric: ${p.reason}`,
};

export function messageOf(d: Diagnostic): string {
  const render = renderers[d.code] as (p: Diagnostic['params']) => string;
  return render(d.params);
}

/**
 * Renders `name:line:col: error[code]: message`, the source line, and a caret under the span.
 * Multi-line spans are underlined to the end of their first line.
 */
export function formatDiagnostic(d: Diagnostic, source: string, sourceName = 'query'): string {
  const pos = positionOf(source, d.span.start);
  const lines = source.split('\n');
  const lineText = lines[pos.line - 1] ?? '';
  const width = Math.max(1, Math.min(d.span.end - d.span.start, lineText.length - (pos.column - 1)));
  const gutter = `${pos.line} | `;
  return [
    `${sourceName}:${pos.line}:${pos.column}: error[${d.code}]: ${messageOf(d)}`,
    `${gutter}${lineText}`,
    `${' '.repeat(gutter.length + pos.column - 1)}${'^'.repeat(width)}`,
  ].join('\n');
}

/** Edit distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The names closest to `name` (at most three), for hints. */
export function closest(name: string, candidates: readonly string[]): string[] {
  const lower = name.toLowerCase();
  const limit = Math.max(2, Math.floor(name.length / 2));
  return candidates
    .map((c) => ({ c, d: c.toLowerCase().includes(lower) && lower.length >= 3 ? 1 : editDistance(lower, c.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, 3)
    .map((x) => x.c);
}
