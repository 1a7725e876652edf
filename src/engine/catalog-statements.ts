// SHOW TABLES and DESCRIBE over the kernel catalog (and, for SHOW TABLES, DuckDB's tables too).
import type { Catalog } from '../catalog/catalog.js';
import { typeName } from '../catalog/types.js';
import { describeSource } from '../catalog/table.js';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import type { TableRef } from '../query/ast.js';
import type { QueryResult, Session } from '../sink/session.js';

export async function showTables(catalog: Catalog, session: Session): Promise<QueryResult> {
  const rows: unknown[][] = [];
  for (const name of catalog.curatedNames()) {
    const r = catalog.resolve(name);
    rows.push([name, 'kernel', r.kind === 'table' ? r.table.description : r.kind === 'unavailable' ? `unavailable: ${r.reason}` : '']);
  }
  const duck = await session.run("SELECT table_name FROM information_schema.tables WHERE table_name NOT LIKE '__bpfql_%' ORDER BY table_name");
  for (const [name] of duck.rows) rows.push([String(name), 'duckdb', '']);
  rows.push([`tracepoint.<category>.<event>`, 'kernel', `${catalog.tracepointNames().length} tracepoints`]);
  return { columns: [{ name: 'name', type: 'VARCHAR' }, { name: 'kind', type: 'VARCHAR' }, { name: 'description', type: 'VARCHAR' }], rows };
}

export function describeTable(catalog: Catalog, ref: TableRef): QueryResult {
  const r = catalog.resolve(ref.name);
  if (r.kind === 'unknown') throw new QueryError([diagnostic('unknown-table', { name: ref.name, suggestions: catalog.suggest(ref.name) }, ref.span)]);
  if (r.kind === 'unavailable') throw new QueryError([diagnostic('table-unavailable', { name: r.name, reason: r.reason }, ref.span)]);
  const rows = r.table.columns.map((c) => [c.name, typeName(c.type), c.description]);
  rows.push(['(source)', '', describeSource(r.table.source)]);
  return { columns: [{ name: 'column', type: 'VARCHAR' }, { name: 'type', type: 'VARCHAR' }, { name: 'description', type: 'VARCHAR' }], rows };
}
