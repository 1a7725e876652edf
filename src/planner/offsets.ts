// Struct offsets a query's columns need (task_struct for ppid, pt_regs for probe arguments), asked
// of the PlannerEnv. When the kernel cannot say (no BTF, a renamed member), only the columns that
// need the offset are lost: the query that names one gets a diagnostic at that column, and
// every other query plans as before.
import type { BtfTypes } from '../catalog/btf-types.js';
import type { Column } from '../catalog/column.js';
import type { Span } from '../diag/span.js';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import type { SelectQuery } from '../query/ast.js';
import { columnRefs, queryExprs } from './expr-walk.js';

export interface PlannerEnv {
  /**
   * Byte offset of a struct member, from BTF; asked only for columns that read task_struct or
   * registers. Throws OffsetUnavailableError when the kernel cannot say (those columns are then unavailable).
   */
  memberOffset(struct: string, member: string): number;
  /**
   * The kernel's BTF types, for member paths (`next.comm`, `current.mm.total_vm`, see
   * typed-fields.ts). Throws OffsetUnavailableError when the kernel has no BTF.
   */
  btfTypes(): BtfTypes;
}

/** Thrown by a PlannerEnv when an offset cannot be known; the message says why. */
export class OffsetUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'OffsetUnavailableError';
  }
}

/** Where a query asks for column `name`: its first reference, else the `*` that brings it in, else the table. */
function spanOfColumn(q: SelectQuery, name: string): Span {
  for (const e of queryExprs(q)) {
    const ref = columnRefs(e).find((r) => r.name.toLowerCase() === name);
    if (ref) return ref.span;
  }
  return q.items.find((i) => i.kind === 'star')?.span ?? q.from.span;
}

/** `ask()`'s answer for `column`; a column-unavailable diagnostic when the env cannot give it. */
export function offsetFor<T>(column: Column, q: SelectQuery, ask: () => T): T {
  try {
    return ask();
  } catch (e) {
    if (!(e instanceof OffsetUnavailableError)) throw e;
    throw new QueryError([diagnostic('column-unavailable', { name: column.name, reason: e.message }, spanOfColumn(q, column.name))]);
  }
}
