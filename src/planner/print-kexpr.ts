// Renders a kernel expression as SQL-like text, for EXPLAIN.
import { quoteString } from '../query/quote.js';
import type { KExpr } from './kexpr.js';

export function printKExpr(e: KExpr): string {
  switch (e.kind) {
    case 'column': return e.column.name;
    case 'const': return e.value.toString();
    case 'neg': return `-(${printKExpr(e.operand)})`;
    case 'bitnot': return `~(${printKExpr(e.operand)})`;
    case 'not': return `NOT (${printKExpr(e.operand)})`;
    case 'arith': case 'compare': return `(${printKExpr(e.left)} ${e.op} ${printKExpr(e.right)})`;
    case 'and': return `(${printKExpr(e.left)} AND ${printKExpr(e.right)})`;
    case 'or': return `(${printKExpr(e.left)} OR ${printKExpr(e.right)})`;
    case 'string-match': {
      const value = quoteString(`${e.value}${e.match === 'prefix' ? '%' : ''}`);
      if (e.match === 'prefix') return `${e.column.name} ${e.negated ? 'NOT LIKE' : 'LIKE'} ${value}`;
      return `${e.column.name} ${e.negated ? '!=' : '='} ${value}`;
    }
  }
}
