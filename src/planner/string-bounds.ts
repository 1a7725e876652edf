// Comparisons that can never hold because the column cannot hold the text: `comm` keeps at most
// 15 bytes (the kernel's TASK_COMM_LEN), so `comm = 'a-much-longer-name'` matches nothing. The
// kernel would fold it to false and the query would run to its end showing nothing; say so instead.
import type { Column } from '../catalog/column.js';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import type { Expr, SelectQuery } from '../query/ast.js';
import { someExpr } from './expr-walk.js';
import { stringCapacity } from './layout.js';
import type { Scope } from './scope.js';

/**
 * Whether the column's text is the bytes the kernel keeps, so that its capacity bounds the text:
 * an address (16 bytes, up to 39 characters of IPv6 text) and a stack (an id) are text made in
 * user space.
 */
function textIsKept(c: Column): boolean {
  switch (c.source.kind) {
    case 'address': case 'stack': case 'kernel-symbol': case 'cgroup': case 'cgroup-set': case 'cgroup-ancestor': case 'exec-args': case 'fd-file': return false;
    case 'builtin': case 'entry-builtin': case 'char-array': case 'byte-array': case 'data-loc-string': case 'user-string':
    case 'entry-user-string': case 'field': case 'task': case 'entry-field': case 'latency': case 'ctx-reg': case 'data-loc-bytes': case 'constant': case 'pointee':
    case 'reg-user-string': case 'constant-text': case 'kernel-path': case 'pointee-string': case 'switch-state':
      return true;
  }
}

function stringColumn(e: Expr, scope: Scope): Column | undefined {
  if (e.kind !== 'column') return undefined;
  const c = scope.find(e.name);
  return c !== undefined && c.type.kind === 'string' && c.decode === undefined && textIsKept(c) ? c : undefined;
}

function check(column: Column | undefined, value: Expr): void {
  if (column === undefined || value.kind !== 'literal' || value.value.type !== 'string') return;
  const text = value.value.value;
  const maxLength = stringCapacity(column) - 1;
  const length = Buffer.byteLength(text);
  if (length > maxLength) throw new QueryError([diagnostic('never-matches', { column: column.name, value: text, length, maxLength }, value.span)]);
}

/** Throws 'never-matches' at the first `=` or IN constant longer than its string column holds. */
export function checkStringBounds(q: SelectQuery, scope: Scope): void {
  const visit = (e: Expr): boolean => {
    // Only equality: `comm != 'a-much-longer-name'` always holds, which is no mistake worth stopping for.
    if (e.kind === 'binary' && e.op === '=') {
      check(stringColumn(e.left, scope), e.right);
      check(stringColumn(e.right, scope), e.left);
    } else if (e.kind === 'in' && !e.negated) {
      const c = stringColumn(e.operand, scope);
      e.list.forEach((item) => check(c, item));
    }
    return false;
  };
  for (const e of [...(q.where ? [q.where] : []), ...(q.having ? [q.having] : [])]) someExpr(e, visit);
}
