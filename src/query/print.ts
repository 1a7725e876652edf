// Renders an expression as SQL that DuckDB reads with the same meaning, and that bpfql parses
// back to the same AST. The two grammars rank some operators differently (DuckDB, like
// PostgreSQL, puts | & << >> || on one level below + -), so parentheses are added wherever the
// two could disagree, and only where both agree are they left out.
import type { BinaryOp, Expr, Literal } from './ast.js';
import { keywordTokens } from './lexer.js';

/** bpfql's keywords, which must be quoted to be read as names. */
const ourKeywords: ReadonlySet<string> = new Set([...keywordTokens].map((t) => t.name.toLowerCase()));

/** Words DuckDB reserves beyond ours; quoting a name is always safe, so this errs on the long side. */
const duckdbReserved: ReadonlySet<string> = new Set([
  'all', 'analyse', 'analyze', 'any', 'array', 'asymmetric', 'authorization', 'binary', 'both', 'check',
  'collate', 'collation', 'column', 'concurrently', 'constraint', 'cross', 'default', 'deferrable', 'do',
  'except', 'fetch', 'foreign', 'freeze', 'full', 'glob', 'grant', 'initially', 'inner', 'intersect',
  'isnull', 'join', 'lambda', 'lateral', 'leading', 'left', 'natural', 'notnull', 'offset', 'on', 'only',
  'outer', 'overlaps', 'pivot', 'pivot_longer', 'pivot_wider', 'placing', 'primary', 'qualify',
  'references', 'returning', 'right', 'semi', 'anti', 'similar', 'some', 'summarize', 'symmetric',
  'tablesample', 'to', 'trailing', 'union', 'unique', 'unpivot', 'using', 'variadic', 'verbose',
  'window', 'with',
]);

const plainName = /^[a-z_][a-z0-9_]*$/;

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A column, table or alias name: bare when it is lower-case and no keyword in either dialect. */
export function printName(name: string): string {
  return plainName.test(name) && !ourKeywords.has(name) && !duckdbReserved.has(name) ? name : quoted(name);
}

/** Function names may be DuckDB keywords (`left(s, 2)`), but not ours. */
function functionName(name: string): string {
  return plainName.test(name) && !ourKeywords.has(name) ? name : quoted(name);
}

/** `decimal(10,2)` keeps its parameters; the name part is quoted like any name. */
function typeName(type: string): string {
  const open = type.indexOf('(');
  return open === -1 ? functionName(type) : functionName(type.slice(0, open)) + type.slice(open);
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
      return `'${v.value.replaceAll("'", "''")}'`;
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
  switch (op) {
    case 'OR': return OR;
    case 'AND': return AND;
    case '=': case '!=': case '<': case '<=': case '>': case '>=': return COMPARE;
    case '|': case '&': case '<<': case '>>': case '||': return OTHER;
    case '+': case '-': return ADD;
    case '*': case '/': case '//': case '%': return MUL;
    // Printed as xor(a, b), a call.
    case '^': return ATOM;
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
      return e.qualifier === undefined ? printName(e.name) : `${printName(e.qualifier)}.${printName(e.name)}`;
    case 'literal':
      return printLiteral(e.value);
    case 'unary':
      if (e.op === 'NOT') return `NOT ${operand(e.operand, NOT)}`;
      // A unary operand is always wrapped, so `-(-x)` never prints as the comment `--x`.
      return level(e.operand) === ATOM ? `${e.op}${printExpr(e.operand)}` : `${e.op}(${printExpr(e.operand)})`;
    case 'binary': {
      if (e.op === '^') return `xor(${printExpr(e.left)}, ${printExpr(e.right)})`;
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
      return `${functionName(e.name)}(${args})`;
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
