// Decoded columns in the planner (see catalog/decoders.ts). The kernel carries the raw integer;
// DuckDB shows text. So: comparisons of a decoded column with text constants are encoded and run
// in the kernel; a group key on one is the raw value, decoded when DuckDB prints it; and every
// other use is refused by pushdown and computed by DuckDB on the decoded text. Constants no raw
// value decodes to are errors at the constant, wherever the comparison ends up running.
import type { Column } from '../catalog/column.js';
import { encodeAddress } from '../catalog/addresses.js';
import { DECODERS } from '../catalog/decoders.js';
import type { KernelTable } from '../catalog/table.js';
import type { ValueType } from '../catalog/types.js';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import { closest } from '../diag/messages.js';
import type { Expr, SelectQuery } from '../query/ast.js';
import { isComparison } from '../query/operators.js';
import { quoteIdent } from '../query/quote.js';
import { children, mapChildren } from './expr-walk.js';
import type { KExpr } from './kexpr.js';
import { widened } from './layout.js';
import type { Scope } from './scope.js';

type ColumnRef = Extract<Expr, { kind: 'column' }>;
type LiteralExpr = Extract<Expr, { kind: 'literal' }>;

function decodedColumn(e: Expr, scope: Scope): Column | undefined {
  if (e.kind !== 'column') return undefined;
  const c = scope.find(e.name);
  return c?.decode ? c : undefined;
}

/** What an address column's text looks like, for messages. */
const ADDRESS_SHOWS = 'IP address as it is shown (127.0.0.1, ::1, ::ffff:10.0.0.1)';

/** Equality of an address column with text no address shows as (`'127.0.0.256'`, `'0:0::1'`) is an error at the text. */
function checkAddressConstant(c: Column, lit: LiteralExpr): void {
  if (c.source.kind !== 'address' || lit.value.type !== 'string') return;
  const text = lit.value.value;
  if (encodeAddress(text, c.source.family !== undefined) === undefined) {
    throw new QueryError([diagnostic('bad-value', { column: c.name, value: text, expected: ADDRESS_SHOWS, suggestions: [] }, lit.span)]);
  }
}

/** The raw value a text constant stands for in a decoded column; a QueryError at the constant otherwise. */
export function encodeConstant(c: Column, lit: LiteralExpr): bigint {
  const decoder = DECODERS[c.decode!];
  if (lit.value.type !== 'string') {
    throw new QueryError([diagnostic('type-mismatch', { operator: `comparison with '${c.name}'`, expected: `text (a ${decoder.shows})`, found: lit.value.type }, lit.span)]);
  }
  const text = lit.value.value;
  const raw = decoder.encode(text);
  if (raw === undefined) {
    throw new QueryError([diagnostic('bad-value', { column: c.name, value: text, expected: decoder.shows, suggestions: closest(text, decoder.names) }, lit.span)]);
  }
  return raw;
}

/** `col = 'text'` / `col != 'text'` on a decoded column as a comparison of the raw value. */
export function decodedEquality(scope: Scope, colSide: Expr, constSide: Expr, op: '=' | '!='): KExpr | undefined {
  const c = decodedColumn(colSide, scope);
  if (!c || constSide.kind !== 'literal') return undefined;
  const raw = encodeConstant(c, constSide);
  const signed = c.type.kind === 'int' && c.type.signed;
  return { kind: 'compare', op, left: { kind: 'column', column: c, signed }, right: { kind: 'const', value: raw, signed }, signed };
}

/** A group key on a decoded column: the raw integer in the kernel. */
export function decodedKernelValue(e: Expr, scope: Scope): { expr: KExpr; type: ValueType; width: number } | undefined {
  const c = decodedColumn(e, scope);
  if (!c || c.type.kind !== 'int') return undefined;
  const expr: KExpr = { kind: 'column', column: c, signed: c.type.signed };
  return { expr, type: widened(expr, c.type), width: 8 };
}

function decodeCall(c: Column, arg: Expr, span: Expr['span']): Expr {
  return { kind: 'call', name: DECODERS[c.decode!].macro, args: [arg], distinct: false, star: false, span };
}

/** Checks the comparisons of one expression and of all it contains (see checkDecodedConstants). */
function checkConstants(e: Expr, scope: Scope, aliases: readonly string[]): void {
  let pairs: [Expr, Expr][] = [];
  // Equality must name a value; ordering compares text, so any text will do.
  let equality = true;
  if (e.kind === 'binary' && isComparison(e.op)) {
    pairs = [[e.left, e.right], [e.right, e.left]];
    equality = e.op === '=' || e.op === '!=';
  } else if (e.kind === 'in') {
    pairs = e.list.map((x): [Expr, Expr] => [e.operand, x]);
  }
  for (const [colSide, constSide] of pairs) {
    if (colSide.kind !== 'column' || isAlias(colSide, aliases) || constSide.kind !== 'literal') continue;
    const c = decodedColumn(colSide, scope);
    if (c && (equality || constSide.value.type !== 'string')) encodeConstant(c, constSide);
    const address = scope.find(colSide.name);
    if (address && equality) checkAddressConstant(address, constSide);
  }
  children(e).forEach((x) => checkConstants(x, scope, aliases));
}

function isAlias(ref: ColumnRef, aliases: readonly string[]): boolean {
  return aliases.some((a) => a.toLowerCase() === ref.name.toLowerCase());
}

/**
 * Checks every constant compared with a decoded column, wherever the comparison will run (kernel,
 * DuckDB, before or after aggregation): `syscall = 'reed'` is an error at 'reed', not an empty result.
 */
export function checkDecodedConstants(q: SelectQuery, scope: Scope): void {
  const aliases = q.items.flatMap((i) => (i.kind === 'expr' && i.alias ? [i.alias] : []));
  for (const i of q.items) if (i.kind === 'expr') checkConstants(i.expr, scope, []);
  if (q.where) checkConstants(q.where, scope, []);
  for (const e of [...q.groupBy, ...(q.having ? [q.having] : []), ...q.orderBy.map((o) => o.expr)]) checkConstants(e, scope, aliases);
}

/**
 * The expression as DuckDB must compute it over the kernel's raw columns: each decoded column
 * wrapped in its macro. `aliases` are SELECT-list names, which GROUP BY, HAVING and ORDER BY may
 * mean instead of a column; those references are left alone.
 */
export function decodeForDuckDB(e: Expr, scope: Scope, aliases: readonly string[] = []): Expr {
  if (e.kind === 'column') {
    const c = decodedColumn(e, scope);
    if (!c || isAlias(e, aliases)) return e;
    return decodeCall(c, e, e.span);
  }
  return mapChildren(e, (x) => decodeForDuckDB(x, scope, aliases));
}

/** An aggregation key as DuckDB reads it: the raw key column, decoded when the key is a decoded column. */
export function decodedKey(groupExpr: Expr, key: ColumnRef, scope: Scope): Expr {
  const c = decodedColumn(groupExpr, scope);
  return c ? decodeCall(c, key, key.span) : key;
}

/**
 * `*` over the table the kernel filled: DuckDB's `* REPLACE` puts the text of decoded columns in
 * their place, and `* EXCLUDE` leaves out hidden columns the query also named (they are there for
 * that name, not for `*`).
 */
export function decodedStar(columns: readonly Column[]): string {
  const hidden = columns.filter((c) => c.hidden === true);
  const decoded = columns.filter((c) => c.decode && c.hidden !== true);
  const exclude = hidden.length === 0 ? '' : ` EXCLUDE (${hidden.map((c) => quoteIdent(c.name)).join(', ')})`;
  const replace = decoded.length === 0 ? '' : ` REPLACE (${decoded.map((c) => `${DECODERS[c.decode!].macro}(${quoteIdent(c.name)}) AS ${quoteIdent(c.name)}`).join(', ')})`;
  return `*${exclude}${replace}`;
}

/** The table's own conditions (tcp_connect: only transitions into SYN_SENT), for the kernel filter. */
export function tableConditions(table: KernelTable): KExpr[] {
  return (table.where ?? []).map((cond) => {
    const signed = cond.column.type.kind === 'int' && cond.column.type.signed;
    const one = (v: bigint, op: '=' | '>' = '='): KExpr => ({ kind: 'compare', op, left: { kind: 'column', column: cond.column, signed }, right: { kind: 'const', value: v, signed }, signed });
    if ('above' in cond) return one(cond.above, '>');
    const oneOfThem = cond.oneOf.slice(1).reduce<KExpr>((acc, v) => ({ kind: 'or', left: acc, right: one(v), signed: false }), one(cond.oneOf[0]!));
    return cond.negated === true ? { kind: 'not', operand: oneOfThem, signed: false } : oneOfThem;
  });
}
