// Pay for what the query uses: a paired table (syscalls) costs two programs and a map of open
// pairs on every event, but a query that reads only what the entry event has (a count by comm or
// by syscall) needs neither the exit nor the pair. Such a query is bound to the table's entry-only
// form (KernelTable.entryOnly): one program on the entry event.
import type { BoundQuery } from './bind.js';
import { bindTo } from './bind.js';
import { columnRefs, queryExprs } from './expr-walk.js';

/** The query bound to its table's entry-only form when it reads no column that form lacks; else as it was. */
export function onEntryAlone(bound: BoundQuery): BoundQuery {
  const alone = bound.table.entryOnly;
  if (alone === undefined || bound.query.items.some((i) => i.kind === 'star')) return bound;
  const has = (name: string, columns: readonly { readonly name: string }[]): boolean => columns.some((c) => c.name === name.toLowerCase());
  // A name that is no column of the table is an alias (bind has checked every name).
  const exitOnly = queryExprs(bound.query).flatMap((e) => columnRefs(e)).some((r) => has(r.name, bound.table.columns) && !has(r.name, alone.columns));
  return exitOnly ? bound : bindTo(bound.query, alone);
}
