// Name binding: finds a column of the query's table, or reports the closest names.
import type { Column } from '../catalog/column.js';
import type { KernelTable } from '../catalog/table.js';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import { closest } from '../diag/messages.js';
import type { Expr } from '../query/ast.js';

export class Scope {
  constructor(readonly table: KernelTable) {}

  find(name: string): Column | undefined {
    const lower = name.toLowerCase();
    return this.table.columns.find((c) => c.name === lower);
  }

  /** The column a reference names; a QueryError with suggestions when there is none. */
  column(ref: Extract<Expr, { kind: 'column' }>, extraNames: readonly string[] = []): Column | undefined {
    const c = this.find(ref.name);
    if (c) return c;
    if (extraNames.some((n) => n.toLowerCase() === ref.name.toLowerCase())) return undefined;
    const names = [...this.table.columns.map((x) => x.name), ...extraNames];
    throw new QueryError([diagnostic('unknown-column', { name: ref.name, table: this.table.name, suggestions: closest(ref.name, names) }, ref.span)]);
  }
}
