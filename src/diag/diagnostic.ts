// Diagnostics: every problem bpfql reports about a query has a code, typed parameters and a
// source span. The message is rendered from the code and parameters, so tests assert the code
// and span, and the wording lives in one place (messages.ts).
import type { Span } from './span.js';

/** Parameters of each diagnostic code. Adding a code here forces a message in messages.ts. */
export interface DiagnosticParams {
  /** The lexer met a character that starts no token. */
  'lex-error': { readonly text: string };
  /** A string, quoted identifier or block comment is opened and never closed. */
  'unterminated': { readonly what: 'string' | 'quoted identifier' | 'comment' };
  /**
   * The parser expected something else here. `hint` is a likely fix, e.g. the keyword a
   * misspelt word is close to.
   */
  'parse-error': { readonly expected: readonly string[]; readonly found: string; readonly hint?: string };
  'unknown-table': { readonly name: string; readonly suggestions: readonly string[] };
  'unknown-column': { readonly name: string; readonly table: string; readonly suggestions: readonly string[] };
  'unknown-function': { readonly name: string; readonly suggestions: readonly string[] };
  /** `syscall('<name>')` of a name with no sys_enter_/sys_exit_ tracepoints on this kernel. */
  'unknown-syscall': { readonly name: string; readonly suggestions: readonly string[] };
  'table-unavailable': { readonly name: string; readonly reason: string };
  /** A column whose kernel facts (struct offsets from BTF) this kernel cannot give; the rest of the table works. */
  'column-unavailable': { readonly name: string; readonly reason: string };
  /** A member path (`next.prioo`) names no member of the struct it reaches; `member` is the name written. */
  'unknown-member': { readonly struct: string; readonly member: string; readonly suggestions: readonly string[] };
  /** A member path goes on past a value that has no members (an integer, a char array, a pointer to one). */
  'no-members': { readonly path: string; readonly type: string };
  /** A member path ends on, or goes through, what bpfql does not read (an array, a bitfield, a struct as a whole). */
  'unsupported-member': { readonly path: string; readonly type: string; readonly reason: string };
  /** A query reads a tracepoint's BTF arguments (tp_btf) and fields of its formatted record (classic hook) at once. */
  'arguments-with-fields': { readonly argument: string; readonly field: string };
  /** A query reads a tracepoint's BTF arguments where the table cannot go on tp_btf. */
  'arguments-need-raw-hook': { readonly argument: string; readonly reason: string };
  /** `DESCRIBE STRUCT name` of a struct the kernel's BTF lacks (or no BTF at all). */
  'unknown-struct': { readonly name: string; readonly reason: string };
  'type-mismatch': { readonly operator: string; readonly expected: string; readonly found: string };
  'wrong-arity': { readonly name: string; readonly expected: string; readonly found: number };
  'bad-argument': { readonly name: string; readonly reason: string };
  /** A constant compared with a decoded column (`syscall = 'reed'`) that no raw value shows as. */
  'bad-value': { readonly column: string; readonly value: string; readonly expected: string; readonly suggestions: readonly string[] };
  'not-grouped': { readonly name: string };
  'aggregate-in-where': { readonly name: string };
  'nested-aggregate': { readonly name: string };
  'bad-duration': { readonly text: string };
  /** A duration longer than the dialect takes (`max`, as written in the dialect). */
  'duration-too-long': { readonly text: string; readonly max: string };
  'bad-limit': { readonly text: string };
  'unsupported': { readonly feature: string };
  /** A rule's SEVERITY that is not one of the levels. */
  'bad-severity': { readonly text: string; readonly allowed: readonly string[] };
  /** A rule option (SEVERITY, LIMIT … EVERY) given twice. */
  'duplicate-rule-option': { readonly option: string };
  /** DuckDB refused the part of the query it computes (or a plain DuckDB statement); its sentence, internal names replaced. */
  'duckdb-error': { readonly kind: string; readonly message: string };
  /** `comm = "bash"`: double quotes name a column in SQL; the user meant a string. */
  'double-quoted-string': { readonly name: string };
  /** A string longer than a fixed-size column holds (comm: 15 characters) can never equal it. */
  'never-matches': { readonly column: string; readonly value: string; readonly length: number; readonly maxLength: number };
  /** `GROUP BY 3` / `ORDER BY 0` with no such SELECT item. */
  'bad-ordinal': { readonly clause: string; readonly position: string; readonly items: number };
  /** A bpftrace-style probe (`tracepoint:syscalls:sys_enter_openat`, `kprobe:vfs_read`): bpfql's spelling, or what this kernel lacks. */
  'probe-spelling': { readonly probe: string; readonly instead?: string; readonly reason?: string };
  /** `bpfql serve`: a metric name Prometheus refuses, or one given twice in a file. */
  'bad-metric-name': { readonly name: string; readonly reason: 'invalid' | 'duplicate' };
  /** `bpfql serve`: a metric's query has no EVERY, so it never closes a window to expose. */
  'metric-needs-every': { readonly metric: string };
  /** `bpfql serve`: a SELECT item that is neither a label (no aggregate) nor one aggregate a metric can be. */
  'metric-column': { readonly column: string; readonly reason: string };
}

export type DiagnosticCode = keyof DiagnosticParams;

export type Diagnostic = {
  readonly [C in DiagnosticCode]: {
    readonly code: C;
    readonly params: DiagnosticParams[C];
    readonly span: Span;
  };
}[DiagnosticCode];

export function diagnostic<C extends DiagnosticCode>(code: C, params: DiagnosticParams[C], span: Span): Diagnostic {
  return { code, params, span } as Diagnostic;
}

/** Thrown by the pure stages when a query cannot go on; carries one or more diagnostics. */
export class QueryError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.code).join(', '));
    this.name = 'QueryError';
    this.diagnostics = diagnostics;
  }
}
