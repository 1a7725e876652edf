// Renders an expression as SQL that DuckDB reads with the same meaning, and that bpfql parses
// back to the same AST. The two grammars rank some operators differently (DuckDB, like
// PostgreSQL, puts | & << >> || on one level below + -), so parentheses are added wherever the
// two could disagree, and only where both agree are they left out.
import type { Expr, Literal } from './ast.js';
import type { BinaryOp } from './operators.js';
import { ARITHMETIC_OPERATORS, duckdbFunction, isArithmetic, isComparison } from './operators.js';
import { quoteFunctionName, quoteIdent, quoteString } from './quote.js';

/** `decimal(10,2)` keeps its parameters; the name part is quoted like any name. */
function typeName(type: string): string {
  const open = type.indexOf('(');
  return open === -1 ? quoteFunctionName(type) : quoteFunctionName(type.slice(0, open)) + type.slice(open);
}

function printLiteral(v: Literal): string {
  switch (v.type) {
    case 'int':
      return v.value < 0n ? `(${v.value})` : v.value.toString();
    case 'float': {
      if (!Number.isFinite(v.value)) return `CAST('${v.value > 0 ? 'inf' : v.value < 0 ? '-inf' : 'nan'}' AS double)`;
      const text = String(Math.abs(v.value));
      // `2` would read back as an integer.
      const float = /[.e]/.test(text) ? text : `${text}.0`;
      return v.value < 0 ? `(-${float})` : float;
    }
    case 'string':
      return quoteString(v.value);
    case 'bool':
      return v.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'NULL';
  }
}

// Levels on which both grammars agree. The bit operators and || are 'other': DuckDB and bpfql
// rank them differently, so they never sit next to another operator without parentheses.
const OR = 1, AND = 2, NOT = 3, COMPARE = 4, OTHER = 5, ADD = 6, MUL = 7, ATOM = 9;

function binaryLevel(op: BinaryOp): number {
  // Printed as a call (xor(a, b)).
  if (duckdbFunction(op) !== undefined) return ATOM;
  if (isComparison(op)) return COMPARE;
  if (isArithmetic(op)) {
    switch (ARITHMETIC_OPERATORS[op].duckdbRank) {
      case 'additive': return ADD;
      case 'multiplicative': return MUL;
      case 'other': return OTHER;
    }
  }
  switch (op) {
    case 'OR': return OR;
    case 'AND': return AND;
    case '||': return OTHER;
  }
}

function level(e: Expr): number {
  switch (e.kind) {
    case 'binary': return binaryLevel(e.op);
    // PostgreSQL ranks a prefix ~ with the 'other' operators, below +, so it gets parentheses too.
    case 'unary': return e.op === 'NOT' ? NOT : e.op === '~' ? OTHER : ATOM - 1;
    case 'in': case 'between': case 'is-null': case 'like': return COMPARE;
    case 'column': case 'literal': case 'call': case 'cast': case 'case': return ATOM;
  }
}

/** `child` printed as an operand of an operator at `parentLevel`; `leftOf` is the parent's binary operator when child is its left operand. */
function operand(child: Expr, parentLevel: number, leftOf?: BinaryOp): string {
  const text = printExpr(child);
  const childLevel = level(child);
  if (childLevel === ATOM) return text;
  // Left-associative chains such as `a - b + c` and `a AND b AND c` need no parentheses.
  const sameLevelLeft =
    leftOf !== undefined && child.kind === 'binary' && childLevel === parentLevel && parentLevel !== COMPARE &&
    (parentLevel !== OTHER || child.op === leftOf);
  if (sameLevelLeft) return text;
  const clear = childLevel > parentLevel && childLevel !== OTHER && parentLevel !== OTHER;
  return clear ? text : `(${text})`;
}

function list(items: readonly Expr[]): string {
  return items.map(printExpr).join(', ');
}

/** DuckDB-compatible SQL for `e`; parsing it gives `e` back (spans aside). */
export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'column':
      if (e.parts !== undefined) return e.parts.map((p) => quoteIdent(p.name)).join('.');
      return e.qualifier === undefined ? quoteIdent(e.name) : `${quoteIdent(e.qualifier)}.${quoteIdent(e.name)}`;
    case 'literal':
      return printLiteral(e.value);
    case 'unary':
      if (e.op === 'NOT') return `NOT ${operand(e.operand, NOT)}`;
      // A unary operand is always wrapped, so `-(-x)` never prints as the comment `--x`.
      return level(e.operand) === ATOM ? `${e.op}${printExpr(e.operand)}` : `${e.op}(${printExpr(e.operand)})`;
    case 'binary': {
      const fn = duckdbFunction(e.op);
      if (fn !== undefined) return `${fn}(${printExpr(e.left)}, ${printExpr(e.right)})`;
      const l = binaryLevel(e.op);
      return `${operand(e.left, l, e.op)} ${e.op} ${operand(e.right, l)}`;
    }
    case 'in':
      return `${operand(e.operand, COMPARE)} ${e.negated ? 'NOT IN' : 'IN'} (${list(e.list)})`;
    case 'between':
      return `${operand(e.operand, COMPARE)} ${e.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${operand(e.low, COMPARE)} AND ${operand(e.high, COMPARE)}`;
    case 'is-null':
      return `${operand(e.operand, COMPARE)} ${e.negated ? 'IS NOT NULL' : 'IS NULL'}`;
    case 'like': {
      const op = `${e.negated ? 'NOT ' : ''}${e.caseInsensitive ? 'ILIKE' : 'LIKE'}`;
      return `${operand(e.operand, COMPARE)} ${op} ${operand(e.pattern, COMPARE)}`;
    }
    case 'call': {
      const args = e.star ? '*' : `${e.distinct ? 'DISTINCT ' : ''}${list(e.args)}`;
      return `${quoteFunctionName(e.name)}(${args})`;
    }
    case 'cast':
      return `CAST(${printExpr(e.operand)} AS ${typeName(e.type)})`;
    case 'case': {
      const parts = ['CASE'];
      if (e.operand !== undefined) parts.push(printExpr(e.operand));
      for (const w of e.whens) parts.push('WHEN', printExpr(w.when), 'THEN', printExpr(w.then));
      if (e.otherwise !== undefined) parts.push('ELSE', printExpr(e.otherwise));
      parts.push('END');
      return parts.join(' ');
    }
  }
}
